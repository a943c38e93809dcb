"""Turn what a user points at (files, folders, stdin, URLs) into SourceDocuments.

`iter_sources` yields a `SourceDocument` or a `SourceFailure` per item and never raises for
one bad item, so a folder with a broken file still ingests the rest.
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from projektatlas.model import SourceDocument
from projektatlas.sources.decode import decode_text
from projektatlas.sources.errors import SourceError

MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES
_URL_RE = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(slots=True)
class SourceFailure:
    """An item that could not be read, with the reason shown to the user."""

    path_or_url: str
    reason: str


@dataclass(slots=True)
class SourceItem:
    """One item to read: where it is from, and a way to get its bytes."""

    path_or_url: str
    suffix: str
    path: Path | None = None
    data: bytes | None = None
    media_type: str | None = None


def discover(
    targets: Iterable[str], stdin: io.BufferedReader | None = None
) -> Iterator[SourceItem]:
    """Expand the user's targets: files as they are, folders recursively, ``-`` as stdin."""
    for target in targets:
        if target == "-":
            stream = stdin or sys.stdin.buffer
            yield SourceItem("<stdin>", ".txt", data=stream.read())
        elif _URL_RE.match(target):
            yield SourceItem(target, "", media_type=None)
        else:
            path = Path(target)
            if path.is_dir():
                for child in sorted(p for p in path.rglob("*") if p.is_file()):
                    hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                    if not hidden:
                        yield SourceItem(str(child), child.suffix.lower(), path=child)
            else:
                yield SourceItem(str(path), path.suffix.lower(), path=path)


def read_item(item: SourceItem, max_bytes: int = MAX_BYTES) -> SourceDocument:
    """Read one item into a SourceDocument; raises SourceError with a reason."""
    data = item.data
    media_type = item.media_type
    if data is None and item.path is None:
        data, media_type = _fetch_url(item.path_or_url, max_bytes)
    if data is None:
        assert item.path is not None
        if not item.path.exists():
            raise SourceError("no such file or folder")
        size = item.path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"file too large: {size} bytes (limit {max_bytes})")
        try:
            data = item.path.read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise SourceError(f"input too large: {len(data)} bytes (limit {max_bytes})")
    if not data.strip():
        raise SourceError("empty file: nothing to ingest")
    kind = _sniff(item.suffix, media_type, data)
    content_hash = hashlib.sha256(data).hexdigest()
    if kind == "pdf":
        from projektatlas.sources.pdf import pdf_to_text

        title, text = pdf_to_text(data)
        return _document(item, content_hash, text, title, "application/pdf", None, len(data))
    text, encoding = decode_text(data)
    if kind == "html":
        from projektatlas.sources.html import html_to_text

        page = html_to_text(text, url=item.path_or_url)
        doc = _document(item, content_hash, page.text, page.title, "text/html", encoding, len(data))
        doc.removed_text = page.removed
        doc.published = page.published
        return doc
    media = "text/markdown" if item.suffix in {".md", ".markdown"} else "text/plain"
    return _document(item, content_hash, text, None, media, encoding, len(data))


def iter_sources(items: Iterable[SourceItem]) -> Iterator[SourceDocument | SourceFailure]:
    """Every item read, or a failure with its reason."""
    for item in items:
        try:
            yield read_item(item)
        except SourceError as exc:
            yield SourceFailure(item.path_or_url, str(exc))


def _sniff(suffix: str, media_type: str | None, data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-") or (media_type or "").endswith("pdf"):
        if not data.startswith(b"%PDF-"):
            raise SourceError("not a PDF file (no %PDF- header)")
        return "pdf"
    if suffix in HTML_SUFFIXES or "html" in (media_type or ""):
        return "html"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if suffix and suffix not in SUPPORTED_SUFFIXES:
        raise SourceError(
            f"unsupported file type {suffix!r} (supported: "
            + ", ".join(sorted(SUPPORTED_SUFFIXES))
            + ")"
        )
    return "text"


def _document(
    item: SourceItem,
    content_hash: str,
    text: str,
    title: str | None,
    media_type: str,
    encoding: str | None,
    size: int,
) -> SourceDocument:
    if not text.strip():
        raise SourceError("no text found in the document")
    return SourceDocument(
        path_or_url=item.path_or_url,
        content_hash=content_hash,
        text=text,
        title=title,
        media_type=media_type,
        encoding=encoding,
        size_bytes=size,
    )


def _fetch_url(url: str, max_bytes: int) -> tuple[bytes, str | None]:
    import httpx

    try:
        with httpx.stream("GET", url, follow_redirects=True, timeout=30) as response:
            if response.status_code >= 400:
                raise SourceError(f"HTTP {response.status_code} from {url}")
            chunks: list[bytes] = []
            total = 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise SourceError(f"download larger than the limit of {max_bytes} bytes")
                chunks.append(chunk)
            return b"".join(chunks), response.headers.get("content-type")
    except httpx.HTTPError as exc:
        raise SourceError(f"cannot fetch {url}: {exc}") from exc
