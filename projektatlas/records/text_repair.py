"""Repair UTF-8 text that was decoded as CP1252/Latin-1 ("ProjektÃ¤gare" → "Projektägare")."""

from __future__ import annotations

import re


def _byte_char(b: int) -> str:
    """The characters a byte becomes when read as CP1252 (or Latin-1 for its gaps)."""
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([b]).decode("latin-1")


_CONT = "".join(re.escape(_byte_char(b) + chr(b)) for b in range(0x80, 0xC0))
_LEAD2 = "".join(re.escape(_byte_char(b)) for b in range(0xC2, 0xE0))
_LEAD3 = "".join(re.escape(_byte_char(b)) for b in range(0xE0, 0xF0))
_MOJIBAKE_RE = re.compile(f"[{_LEAD2}][{_CONT}]|[{_LEAD3}][{_CONT}]{{2}}")


def _fix(m: re.Match[str]) -> str:
    chunk = m.group(0)
    try:
        raw = bytes(ord(c) if ord(c) < 256 else c.encode("cp1252")[0] for c in chunk)
        fixed = raw.decode("utf-8")
    except (UnicodeError, ValueError):
        return chunk
    return fixed if len(fixed) == 1 else chunk


def looks_mojibake(text: str) -> bool:
    """True when `text` has several UTF-8-read-as-CP1252 sequences (Ã¤, Ã¶, Ã¥...)."""
    return sum(1 for m in _MOJIBAKE_RE.finditer(text) if _fix(m) != m.group(0)) >= 2


def repair(text: str) -> str:
    """Undo UTF-8 → CP1252/Latin-1 misdecoding sequence by sequence (others are kept)."""
    return _MOJIBAKE_RE.sub(_fix, text)
