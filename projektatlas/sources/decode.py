"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252/Latin-1.

Swedish text saved by older Windows tools is Windows-1252; both must come out with
correct å/ä/ö. Binary data is refused with a reason instead of being stored as noise.
"""

from __future__ import annotations

import codecs
import unicodedata

from projektatlas.sources.errors import SourceError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text (all C0 but tab, newline, CR, form feed).
_BAD_CONTROLS = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f"}


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, in the first 8 KiB mean binary data."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(head) > 0.05


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode ``data`` to NFC text with Unix line ends; returns (text, encoding name).

    Raises SourceError for binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return _tidy(text), encoding
    if looks_binary(data):
        raise SourceError("binary file: not text (NUL or control bytes found)")
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    return _tidy(text), encoding


def _tidy(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(c in _BAD_CONTROLS for c in text):
        text = "".join(c for c in text if c not in _BAD_CONTROLS)
    return text.lstrip("\ufeff")
