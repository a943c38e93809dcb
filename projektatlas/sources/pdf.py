"""PDF text layer extraction with pypdf; a scanned PDF without text is refused, not stored empty."""

from __future__ import annotations

import io
import logging

from projektatlas.sources.errors import SourceError

MAX_PAGES = 2000


def pdf_to_text(data: bytes) -> tuple[str | None, str]:
    """(title, text) of a PDF; raises SourceError when it is broken or has no text layer."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise SourceError("encrypted PDF: cannot read its text")
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise SourceError(f"PDF has {len(pages)} pages (limit {MAX_PAGES})")
        texts = [(page.extract_text() or "").strip() for page in pages]
        title = None
        if reader.metadata is not None and reader.metadata.title:
            title = str(reader.metadata.title).strip() or None
    except SourceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise SourceError(f"broken PDF: {exc}") from exc
    text = "\n\n".join(t for t in texts if t)
    if not text.strip():
        raise SourceError(
            f"scanned PDF without a text layer ({len(texts)} page(s), no text): run OCR first"
        )
    return title, text
