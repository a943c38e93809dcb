"""Guess what kind of document a non-record text is: news, call, report, web page or other."""

from __future__ import annotations

import re

from projektatlas.model import KIND_CALL, KIND_NEWS, KIND_OTHER, KIND_REPORT, KIND_WEB

_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"
_DATE_LINE = re.compile(
    rf"^\s*(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}} ({_MONTHS}) \d{{4}})\s*$", re.IGNORECASE
)
_NEWS_WORDS = re.compile(r"^\s*(nyheter|nyhet|pressmeddelande|aktuellt|nyhetsbrev)\s*$", re.I)
_CALL_TITLE = re.compile(r"\butlysning(en)?\b", re.IGNORECASE)
_REPORT_TITLE = re.compile(r"\b(rapport|slutrapport|utvärdering|lägesrapport)\b", re.IGNORECASE)


def classify(text: str, title: str | None, media_type: str) -> str:
    """The document kind, from its title, its first lines and its medium."""
    lines = [line for line in text.split("\n") if line.strip()]
    head = lines[:15]
    heading = title or (lines[0] if lines else "")
    if _CALL_TITLE.search(heading) and not _NEWS_WORDS.match(heading):
        return KIND_CALL
    if _REPORT_TITLE.search(heading) or (
        media_type == "application/pdf" and len(text.split()) > 1500
    ):
        return KIND_REPORT
    if any(_DATE_LINE.match(line) or _NEWS_WORDS.match(line) for line in head):
        return KIND_NEWS
    prose = [line for line in lines[1:] if len(line.split()) >= 12]
    if len(heading.split()) <= 14 and len(prose) >= 2:
        return KIND_NEWS
    if media_type == "text/html":
        return KIND_WEB
    return KIND_OTHER


def title_of(text: str) -> str | None:
    """The first non-empty line, without Markdown heading marks, as a title."""
    for line in text.split("\n"):
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:300]
    return None
