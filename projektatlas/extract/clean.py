"""Remove web-page furniture (cookie notices, navigation, share links) from copied text.

The rules are data: ``LINE_RULES`` match one whole line, ``BLOCK_RULES`` match a run of
lines (a cookie banner with its heading and "Lär dig mer" button). Every rule is anchored
to whole lines and written so that article sentences and record label/value lines never
match: a rule either matches a short fixed phrase or a sentence about cookies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(slots=True)
class CleanText:
    text: str
    removed: list[str] = field(default_factory=list)


_COOKIE_SENTENCE = r"[^\n]*\b(?:cookies?|kakor)\b[^\n]*"

# (name, regex matching a run of whole lines; multiline, case-insensitive)
BLOCK_RULES: tuple[tuple[str, str], ...] = (
    (
        "cookie_banner",
        r"^[ \t]*(?:Cookies|Kakor|Om kakor|Vi använder cookies)[ \t]*\n(?:[ \t]*\n)*"
        r"(?:[ \t]*" + _COOKIE_SENTENCE + r"\n(?:[ \t]*\n)*)+"
        r"(?:[ \t]*(?:Lär dig mer|Läs mer|Jag förstår|OK|Godkänn|Acceptera(?: alla)?(?: cookies)?"
        r"|Stäng|Inställningar)[ \t]*(?:\n|$))?",
    ),
    (
        "actions_loading",
        r"^[ \t]*Actions[ \t]*\n[ \t]*Loading\.\.\.[ \t]*(?:\n|$)",
    ),
)

# (name, regex matching one whole line, without its newline)
LINE_RULES: tuple[tuple[str, str], ...] = (
    (
        "cookie_notice",
        r"[^\n]{0,40}\b(?:webbplatsen|webbplats|hemsidan|sajten|sidan|\w+\.se|vi)\s+"
        r"(?:använder|används)\s+(?:sig\s+av\s+)?(?:cookies|kakor)\b[^\n]*"
        r"|[^\n]{0,80}\b(?:använder|används)\s+(?:sig\s+av\s+)?(?:cookies|kakor)\b[^\n]*"
        r"(?:cookies|kakor|godkänner|accepterar)[^\n]*",
    ),
    ("cookie_more", r"Läs mer om (?:kakor|cookies)(?: \((?:cookies|kakor)\))?\.?"),
    (
        "cookie_button",
        r"(?:Lär dig mer|Jag förstår|Godkänn(?: alla)?(?: cookies| kakor)?"
        r"|Acceptera(?: alla)?(?: cookies| kakor)?|Neka(?: cookies)?|Cookie-?inställningar)",
    ),
    ("actions", r"Actions"),
    ("loading", r"Loading\.\.\.|Laddar\.\.\."),
    ("print_logo", r"Logotyp på utskrifter"),
    ("close", r"Stäng"),
    ("menu", r"Meny|Huvudmeny|Visa meny|Dölj meny"),
    ("search", r"Sök|Sök på webbplatsen|Sökfält"),
    (
        "share",
        r"Dela(?: sidan| artikeln)?|Dela på (?:Facebook|Twitter|X|LinkedIn|e-post)|Tipsa en vän",
    ),
    (
        "breadcrumb",
        r"Du är här:?[^\n]*|(?:Start|Hem|Startsida)\s*(?:[>»/›|]\s*[^\n>»/›|]{1,60}){1,6}",
    ),
    ("information_count", r"information \(\d+\)"),
    ("read_more_arrow", r"(?:>|»|›|→)\s*(?:Läs mer|Ansökan|Ladda ner|Till)[^\n]*"),
    ("to_top", r"Till toppen|Tillbaka till toppen|Upp"),
    ("print", r"Skriv ut(?: sidan)?"),
    ("listen", r"Lyssna(?: på sidan)?"),
    ("skip_to_content", r"Hoppa till (?:innehåll|huvudinnehåll)"),
)

_BLOCKS = [(name, re.compile(rx, re.IGNORECASE | re.MULTILINE)) for name, rx in BLOCK_RULES]
_LINES = [
    (name, re.compile(rf"[ \t\u00a0]*(?:{rx})[ \t\u00a0]*", re.IGNORECASE))
    for name, rx in LINE_RULES
]
# Short fixed phrases must match case-sensitively, so that a body line "stäng" never goes.
_CASE_SENSITIVE = {"close", "menu", "search", "share", "to_top", "print", "listen", "actions"}
_LINES = [
    (name, re.compile(rf"[ \t\u00a0]*(?:{rx})[ \t\u00a0]*") if name in _CASE_SENSITIVE else pat)
    for (name, pat), (_, rx) in zip(_LINES, LINE_RULES, strict=True)
]


def matching_rule(line: str) -> str | None:
    """The name of the line rule that removes ``line``, if any."""
    for name, pattern in _LINES:
        if pattern.fullmatch(line):
            return name
    return None


def clean_text(text: str) -> CleanText:
    """Drop page furniture; keep every body sentence and record line; collapse blank runs."""
    removed: list[str] = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for _name, pattern in _BLOCKS:

        def _drop(match: re.Match[str]) -> str:
            removed.append(match.group(0).strip())
            return "\n"

        text = pattern.sub(_drop, text)
    kept: list[str] = []
    for line in text.split("\n"):
        if line.strip() and matching_rule(line):
            removed.append(line.strip())
            continue
        kept.append(line.rstrip())
    out = "\n".join(kept)
    out = re.sub(r"\n[ \t\u00a0]*(?:\n[ \t\u00a0]*){2,}", "\n\n", out)
    return CleanText(out.strip("\n"), removed)
