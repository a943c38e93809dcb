"""Split text into lines with exact offsets, and recognise page noise (menus, cookie banners)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NEWLINE_RE = re.compile(r"\r\n|\r|\n")

_NOISE_LINE_RE = re.compile(
    r"^(?:meny|menu|sök|sök på webbplatsen|search|logga in|log in|logga ut|stäng|close|english|"
    r"in english|svenska|hem|start|startsida|home|tillbaka|till toppen|skriv ut|print|dela|"
    r"share|dela sidan|dela artikeln|skriv ut sidan|till sidans topp|lyssna|listen|actions|loading\.*|läs mer|read more|kontakt|kontakta oss|om oss|"
    r"nyheter|projektbanken|sök i projektbanken|sök projekt|hitta projekt|projekt|"
    r"(?:hoppa |gå )?till (?:huvud)?innehåll(?:et)?|skip to (?:main )?content|utlysningar|"
    r"cookies|kakor|cookie-inställningar|cookieinställningar|inställningar|ok|jag förstår|"
    r"acceptera|acceptera alla|acceptera alla (?:cookies|kakor)|godkänn|godkänn alla|neka|"
    r"avvisa|endast nödvändiga(?: (?:cookies|kakor))?|spara inställningar|information \(\d+\)|"
    r"lär dig mer|mer information|logotyp på utskrifter|facebook|linkedin|twitter|x|instagram|youtube)[.!]?$",
    re.IGNORECASE,
)
_NOISE_PART_RE = re.compile(
    r"\b(?:kakor|cookies?|webbplatsen använder|denna webbplats använder|integritetspolicy|"
    r"personuppgiftspolicy)\b|^\s*(?:>|›|»|start\s*[>›»/]|hem\s*[>›»/])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Line:
    """One line: `start`/`end` bound its content without surrounding whitespace."""

    index: int
    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text


def split_lines(text: str) -> list[Line]:
    """Lines of `text` (any newline convention), each trimmed, with offsets into `text`."""
    lines: list[Line] = []
    pos = 0
    bounds = [(m.start(), m.end()) for m in _NEWLINE_RE.finditer(text)]
    bounds.append((len(text), len(text)))
    for index, (stop, after) in enumerate(bounds):
        chunk = text[pos:stop]
        stripped_left = len(chunk) - len(chunk.lstrip())
        content = chunk.strip()
        start = pos + stripped_left
        lines.append(Line(index, start, start + len(content), content))
        pos = after
    return lines


def is_noise(line: str) -> bool:
    """A menu item, breadcrumb or cookie-banner line that is not part of any record."""
    s = line.strip()
    if not s:
        return False
    return bool(_NOISE_LINE_RE.match(s) or _NOISE_PART_RE.search(s))


def is_short(line: str) -> bool:
    """A heading- or menu-like line (not running prose)."""
    return len(line) <= 80 and len(line.split()) <= 10 and not line.rstrip().endswith((".", "?"))
