"""Dates, periods and durations in Swedish running text.

Fact types and values:

* ``date``: ISO ``"YYYY-MM-DD"``. A day and month whose year cannot be resolved stays
  partial: value ``"XXXX-MM-DD"`` with ``attrs.partial=True`` (and ``month``/``day``).
  A missing year is resolved as ``_Resolver`` describes (same sentence, ``ctx.doc_date``,
  a dateline in the text); ``attrs.year_source`` says how.
* ``period``: ``{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}`` for ranges
  ("2021-02-01 - 2021-10-30", "mellan januari och juni 2016", "2019–2021"), months with a
  year ("mars 2022") or after a preposition ("i mars"), "under 2023", "första halvåret
  2024", seasons ("hösten 2023": ``attrs.season``; spring = Mar–May, summer =
  Jun–Aug, autumn = Sep–Nov, winter = Dec–Feb of the next year) and relative years
  ("förra året", only with ``ctx.doc_date``). Unresolved years stay ``XXXX``.
* ``duration``: "treårigt", "tre år", "18 månader", "två och ett halvt år" → value in
  months (``attrs.unit == "month"``); weeks and days keep their own unit
  (``attrs.unit`` ``"week"``/``"day"``). Ages ("unga 16–24 år", "över 50 år") are skipped.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date

from projektatlas.extract.base import ExtractContext
from projektatlas.extract.numbers import (
    APPROX_WORD_FAST,
    NUMBER_WORD_FAST,
    NUMERAL,
    adjective_years,
    approximation,
    parse_numeral,
    sentence_span,
)
from projektatlas.extract.prefilter import fast
from projektatlas.model import Fact

NAME = "dates"
VERSION = "1.0"

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
SEASONS = {  # name → (start month, end month); winter ends in the next year
    "vår": (3, 5),
    "sommar": (6, 8),
    "höst": (9, 11),
    "vinter": (12, 2),
}
_SEASON_FORMS = {
    "våren": "vår",
    "vår": "vår",
    "sommaren": "sommar",
    "sommar": "sommar",
    "hösten": "höst",
    "höst": "höst",
    "vintern": "vinter",
    "vinter": "vinter",
}
_MONTH = r"(?:" + "|".join(MONTHS) + r")"
_YEAR = r"(?:19|20)\d{2}"
_ISO = r"(?:19|20)\d{2}-[01]\d-[0-3]\d"
_DAY_MONTH = rf"(?:den\s+)?[0-3]?\d(?::[ae])?\s+{_MONTH}(?:,?\s+{_YEAR})?"
_MONTH_YEAR = rf"{_MONTH}(?:\s+{_YEAR})?"
_POINT = rf"(?:{_ISO}|{_DAY_MONTH}|{_MONTH_YEAR})"
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+(?:till|t\.o\.m\.?|–)\s+)"

_RANGE = re.compile(
    rf"\b(?:(?P<mellan>mellan)\s+(?P<a1>{_POINT})\s+och\s+(?P<b1>{_POINT})"
    rf"|(?:från\s+|fr\.o\.m\.?\s+)?(?P<a2>{_POINT}){_RANGE_SEP}(?P<b2>{_POINT}))\b",
    re.IGNORECASE,
)
_DAY_RANGE = re.compile(
    rf"\b(?P<d1>[0-3]?\d)\s*[-–]\s*(?P<d2>[0-3]?\d)\s+(?P<m>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b",
    re.IGNORECASE,
)
_YEAR_RANGE = re.compile(
    rf"(?:\b(?P<mellan>mellan)\s+)?(?<![\d/\-–])(?P<y1>{_YEAR})"
    rf"\s*(?:[-–]|\s+till\s+|(?(mellan)\s+och\s+|[-–]))\s*(?P<y2>{_YEAR})(?![\d/\-–])",
    re.IGNORECASE,
)
# A single year as a period only after "under" ("under 2023", "under år 2023") or a half-year.
_YEAR_PERIOD = re.compile(
    rf"\b(?:(?P<under>under)(?:\s+år)?|(?P<half>första|andra)\s+halvåret)\s+(?P<y>{_YEAR})\b(?![-/])",
    re.IGNORECASE,
)
_ISO_RE = re.compile(rf"(?<![\d-]){_ISO}(?![\d])")
_DAY_MONTH_RE = re.compile(rf"\b{_DAY_MONTH}\b", re.IGNORECASE)
_MONTH_YEAR_RE = re.compile(rf"\b(?P<m>{_MONTH})\s+(?P<y>{_YEAR})\b", re.IGNORECASE)
_SEASON_RE = re.compile(
    r"\b(?:(?P<early>tidig|tidiga|tidigt|sen|sena|sent)\s+)?"
    r"(?P<s>våren|sommaren|hösten|vintern|(?<=tidig )höst|(?<=sen )höst|(?<=tidig )vår|"
    r"(?<=sen )vår|(?<=tidig )sommar|(?<=sen )sommar)"
    rf"(?:\s+(?P<y>{_YEAR})(?:\s*[/-]\s*(?P<y2>{_YEAR}|\d{{2}}))?)?\b",
    re.IGNORECASE,
)
# A month without year after a preposition: "I september startade …", "i maj".
_BARE_MONTH_RE = re.compile(
    rf"\b(?:i|under|från och med|fr\.o\.m\.|sedan|efter|före|till och med|t\.o\.m\.|"
    rf"i början av|i slutet av|i mitten av|under hela)\s+(?P<m>{_MONTH})\b(?!\s+{_YEAR})(?!\s*[-–])",
    re.IGNORECASE,
)
_PAST_SEASON_RE = re.compile(r"\bi (?P<s>våras|somras|höstas|vintras)\b", re.IGNORECASE)
_RELATIVE_YEAR_RE = re.compile(
    r"\b(?P<rel>förra året|i fjol|föregående år|i år|innevarande år|nästa år)\b",
    re.IGNORECASE,
)
_RELATIVE_OFFSETS = {
    "förra året": -1,
    "i fjol": -1,
    "föregående år": -1,
    "i år": 0,
    "innevarande år": 0,
    "nästa år": 1,
}

_DURATION_UNITS = {
    "år": ("month", 12),
    "års": ("month", 12),
    "månad": ("month", 1),
    "månader": ("month", 1),
    "månaders": ("month", 1),
    "vecka": ("week", 1),
    "veckor": ("week", 1),
    "veckors": ("week", 1),
    "dag": ("day", 1),
    "dagar": ("day", 1),
    "dagars": ("day", 1),
}
_DURATION_RE = re.compile(
    rf"(?:(?P<approx>{APPROX_WORD_FAST})\s+)?"
    rf"(?:(?P<num>{NUMERAL}|\b{NUMBER_WORD_FAST}\b)(?P<half>\s+och\s+ett\s+halvt)?|\bett\s+(?P<halfonly>halvt))"
    r"\s+(?P<unit>år|års|månader|månaders|månad|veckor|veckors|vecka|dagar|dagars|dag)\b",
    re.IGNORECASE,
)
_HALF_YEAR_RE = re.compile(r"\b(?:ett\s+)?halvår\b", re.IGNORECASE)
_YEAR_ADJ_RE = re.compile(r"\b\w+år(?:ig|igt|iga|sprojekt\w*|ssatsning\w*)\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(
    r"(?:\d\s*(?:[-–]|och|till)|över|äldre än|yngre än|åldern|ålder|fyllt|fyllda|mellan|"
    r"upp till|från)\s*$",
    re.IGNORECASE,
)
_AGE_AFTER = re.compile(
    r"\s*(?:gamla?\b|sedan\b|och (?:äldre|yngre|uppåt)|\w*åring)", re.IGNORECASE
)
_UNDER_BEFORE = re.compile(r"under\s*$", re.IGNORECASE)


def _iso(y: int | None, m: int, d: int) -> str:
    return f"{y:04d}-{m:02d}-{d:02d}" if y else f"XXXX-{m:02d}-{d:02d}"


def _last_day(y: int | None, m: int) -> int:
    return calendar.monthrange(y or 2001, m)[1]


def _parse_point(s: str) -> tuple[int | None, int, int | None]:
    """(year or None, month, day or None) of one written point in time."""
    s = " ".join(s.lower().split())
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = re.fullmatch(rf"(?:den )?(\d{{1,2}})(?::[ae])? ({_MONTH})(?:,? (\d{{4}}))?", s)
    if m:
        return (int(m.group(3)) if m.group(3) else None), MONTHS[m.group(2)], int(m.group(1))
    m = re.fullmatch(rf"({_MONTH})(?: (\d{{4}}))?", s)
    if not m:
        raise ValueError(s)
    return (int(m.group(2)) if m.group(2) else None), MONTHS[m.group(1)], None


class _Resolver:
    """Resolves a missing year, trying in turn:

    1. the nearest year written earlier in the same sentence ("Under 2019 … den 1 mars");
    2. ``ctx.doc_date``: the year (doc year −1, 0 or +1) that puts the interval nearest the
       document date (a news item of 5 December saying "den 1 mars" means next March);
    3. a year written at most 40 characters later in the same sentence ("tidigast 1
       februari och senast 1 april 2016");
    4. the nearest date written earlier in the text (a dateline, "november 2015"), else the
       first one written later, used like 2.;
    otherwise the year stays unresolved (partial).
    """

    def __init__(self, text: str, ctx: ExtractContext) -> None:
        self.text = text
        self.doc_date = ctx.doc_date
        self.text_dates: list[tuple[int, date]] = []
        for m in _ISO_RE.finditer(text):
            self._add_text_date(m.start(), m.group(0))
        for m in _DAY_MONTH_RE.finditer(text):
            self._add_text_date(m.start(), m.group(0))
        for m in _MONTH_YEAR_RE.finditer(text):  # "Rapportering november 2015"
            self.text_dates.append(
                (m.start(), date(int(m.group("y")), MONTHS[m.group("m").lower()], 15))
            )
        self.text_dates.sort(key=lambda x: x[0])

    def _add_text_date(self, pos: int, written: str) -> None:
        y, mo, d = _parse_point(written)
        if y is not None and d is not None and _valid(y, mo, d):
            self.text_dates.append((pos, date(y, mo, d)))

    def year(
        self, pos: int, interval: Callable[[int], tuple[date, date]]
    ) -> tuple[int | None, str | None]:
        s_start, s_end = sentence_span(self.text, pos)
        before = re.findall(rf"(?<![\d/\-]){_YEAR}(?![\d/])", self.text[s_start:pos])
        if before:
            return int(before[-1]), "sentence"
        if self.doc_date:
            return _nearest_year(self.doc_date, interval), "doc_date"
        after = re.search(rf"(?<![\d/\-]){_YEAR}(?![\d/])", self.text[pos : min(s_end, pos + 40)])
        if after:
            return int(after.group(0)), "sentence"
        earlier = [d for p, d in self.text_dates if p < pos]
        later = [d for p, d in self.text_dates if p > pos]
        if earlier or later:
            return _nearest_year(earlier[-1] if earlier else later[0], interval), "text_date"
        return None, None


def _nearest_year(ref: date, interval: Callable[[int], tuple[date, date]]) -> int:
    best: tuple[int, int] | None = None
    for offset in (0, -1, 1):
        y = ref.year + offset
        try:
            first, last = interval(y)
        except ValueError:
            continue
        distance = max((first - ref).days, (ref - last).days, 0)
        if best is None or distance < best[0]:
            best = (distance, y)
    return best[1] if best else ref.year


def _valid(y: int | None, m: int, d: int | None) -> bool:
    if not 1 <= m <= 12:
        return False
    return d is None or 1 <= d <= _last_day(y, m)


def _fact(kind: str, m_start: int, m_end: int, text: str, value: object, attrs: dict) -> Fact:
    confidence = 0.7 if attrs.get("partial") or attrs.get("year_source") == "text_date" else 0.9
    return Fact(
        type=kind,
        text=text[m_start:m_end],
        value=value,
        start=m_start,
        end=m_end,
        confidence=confidence,
        extractor=NAME,
        extractor_version=VERSION,
        attrs=attrs,
    )


def _ranges(text: str, res: _Resolver) -> list[Fact]:
    facts = []
    for m in _RANGE.finditer(text):
        a_text, b_text = (
            (m.group("a1"), m.group("b1")) if m.group("mellan") else m.group("a2", "b2")
        )
        (ay, am, ad), (by, bm, bd) = _parse_point(a_text), _parse_point(b_text)
        attrs: dict[str, object] = {}
        if by is None and ay is not None:
            by = ay if bm >= am else ay + 1
        if ay is None and by is not None:
            ay = by if am <= bm else by - 1
        if ay is None:

            def interval(y: int, am=am, ad=ad, bm=bm, bd=bd) -> tuple[date, date]:
                y2 = y if bm >= am else y + 1
                return date(y, am, ad or 1), date(y2, bm, bd or _last_day(y2, bm))

            year, source = res.year(m.start(), interval)
            if year:
                ay, by = year, year if bm >= am else year + 1
                attrs["year_source"] = source
            else:
                attrs["partial"] = True
        if not (_valid(ay, am, ad) and _valid(by, bm, bd)):
            continue
        start = _iso(ay, am, ad or 1)
        end = _iso(by, bm, bd or _last_day(by, bm))
        if not attrs.get("partial") and start > end:
            continue
        facts.append(_fact("period", m.start(), m.end(), text, {"start": start, "end": end}, attrs))
    for m in _DAY_RANGE.finditer(text):
        month, d1, d2 = MONTHS[m.group("m").lower()], int(m.group("d1")), int(m.group("d2"))
        attrs = {}
        y = int(m.group("y")) if m.group("y") else None
        if y is None:

            def day_range(y: int, month=month, d1=d1, d2=d2) -> tuple[date, date]:
                return date(y, month, d1), date(y, month, d2)

            y, source = res.year(m.start(), day_range)
            attrs = {"year_source": source} if y else {"partial": True}
        if d1 >= d2 or not (_valid(y, month, d1) and _valid(y, month, d2)):
            continue
        value = {"start": _iso(y, month, d1), "end": _iso(y, month, d2)}
        facts.append(_fact("period", m.start(), m.end(), text, value, attrs))
    for m in _YEAR_RANGE.finditer(text):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y1 < y2 <= y1 + 20:
            value = {"start": f"{y1}-01-01", "end": f"{y2}-12-31"}
            facts.append(_fact("period", m.start(), m.end(), text, value, {"granularity": "year"}))
    for m in _YEAR_PERIOD.finditer(text):
        y = int(m.group("y"))
        if m.group("half"):
            first = m.group("half").lower() == "första"
            value = {
                "start": f"{y}-01-01" if first else f"{y}-07-01",
                "end": f"{y}-06-30" if first else f"{y}-12-31",
            }
            facts.append(
                _fact("period", m.start(), m.end(), text, value, {"granularity": "half_year"})
            )
        else:
            value = {"start": f"{y}-01-01", "end": f"{y}-12-31"}
            facts.append(_fact("period", m.start(), m.end(), text, value, {"granularity": "year"}))
    return facts


def _points(text: str, res: _Resolver) -> list[Fact]:
    facts = []
    for m in _ISO_RE.finditer(text):
        y, mo, d = _parse_point(m.group(0))
        if _valid(y, mo, d):
            facts.append(_fact("date", m.start(), m.end(), text, m.group(0), {}))
    for m in _DAY_MONTH_RE.finditer(text):
        y, mo, d = _parse_point(m.group(0))
        attrs: dict[str, object] = {}
        if y is None and d is not None:

            def day(y: int, mo=mo, d=d) -> tuple[date, date]:
                return date(y, mo, d), date(y, mo, d)

            y, source = res.year(m.start(), day)
            attrs = {"year_source": source} if y else {"partial": True, "month": mo, "day": d}
        if d is not None and _valid(y, mo, d):
            facts.append(_fact("date", m.start(), m.end(), text, _iso(y, mo, d), attrs))
    for m in _BARE_MONTH_RE.finditer(text):
        mo = MONTHS[m.group("m").lower()]

        def month(y: int, mo=mo) -> tuple[date, date]:
            return date(y, mo, 1), date(y, mo, _last_day(y, mo))

        y, source = res.year(m.start("m"), month)
        attrs = {"granularity": "month"}
        attrs.update({"year_source": source} if y else {"partial": True})
        value = {"start": _iso(y, mo, 1), "end": _iso(y, mo, _last_day(y, mo))}
        facts.append(_fact("period", m.start("m"), m.end(), text, value, attrs))
    for m in _MONTH_YEAR_RE.finditer(text):
        y, mo = int(m.group("y")), MONTHS[m.group("m").lower()]
        value = {"start": _iso(y, mo, 1), "end": _iso(y, mo, _last_day(y, mo))}
        facts.append(_fact("period", m.start(), m.end(), text, value, {"granularity": "month"}))
    return facts


def _season_value(season: str, y: int | None) -> dict[str, str]:
    first, last = SEASONS[season]
    end_year = (y + 1 if y else None) if last < first else y
    return {"start": _iso(y, first, 1), "end": _iso(end_year, last, _last_day(end_year, last))}


def _seasons(text: str, res: _Resolver, ctx: ExtractContext) -> list[Fact]:
    facts = []
    for m in _SEASON_RE.finditer(text):
        season = _SEASON_FORMS[m.group("s").lower()]
        attrs: dict[str, object] = {"season": season}
        if m.group("early"):
            attrs["part"] = "early" if m.group("early").lower().startswith("tidig") else "late"
        y = int(m.group("y")) if m.group("y") else None
        if y is None:

            def span(y: int, season=season) -> tuple[date, date]:
                value = _season_value(season, y)
                return date.fromisoformat(value["start"]), date.fromisoformat(value["end"])

            y, source = res.year(m.start(), span)
            attrs.update({"year_source": source} if y else {"partial": True})
        facts.append(_fact("period", m.start(), m.end(), text, _season_value(season, y), attrs))
    if ctx.doc_date:
        today = ctx.doc_date
        past = {"våras": "vår", "somras": "sommar", "höstas": "höst", "vintras": "vinter"}
        for m in _PAST_SEASON_RE.finditer(text):
            season = past[m.group("s").lower()]
            # The latest such season that has begun: "i vintras" = Dec last year – Feb.
            first = SEASONS[season][0]
            y = today.year - 1 if season == "vinter" or today.month < first else today.year
            attrs = {"season": season, "relative": True, "year_source": "doc_date"}
            value = _season_value(season, y)
            facts.append(_fact("period", m.start(), m.end(), text, value, attrs))
        for m in _RELATIVE_YEAR_RE.finditer(text):
            y = today.year + _RELATIVE_OFFSETS[" ".join(m.group("rel").lower().split())]
            attrs = {"granularity": "year", "relative": True, "year_source": "doc_date"}
            value = {"start": f"{y}-01-01", "end": f"{y}-12-31"}
            facts.append(_fact("period", m.start(), m.end(), text, value, attrs))
    return facts


def _is_age(text: str, m: re.Match[str], number: float, unit: str) -> bool:
    if unit not in {"år", "års"}:
        return False
    before = text[max(0, m.start() - 20) : m.start()]
    if _AGE_BEFORE.search(before) or _AGE_AFTER.match(text, m.end()):
        return True
    return bool(number >= 15 and _UNDER_BEFORE.search(before))


def _durations(text: str) -> list[Fact]:
    facts = []
    for m in _DURATION_RE.finditer(text):
        unit_word = m.group("unit").lower()
        if m.group("halfonly"):
            number: float = 0.5
        else:
            parsed = parse_numeral(m.group("num"))
            if parsed is None:
                continue
            number = parsed + (0.5 if m.group("half") else 0)
        if number <= 0 or _is_age(text, m, number, unit_word):
            continue
        unit, factor = _DURATION_UNITS[unit_word]
        value = number * factor
        if unit == "month" and unit_word.startswith("år") and value > 12 * 30:
            continue
        attrs: dict[str, object] = {"unit": unit, "written_unit": unit_word.rstrip("s")}
        attrs.update(approximation(m.group("approx")))
        value = int(value) if float(value).is_integer() else value
        facts.append(_fact("duration", m.start(), m.end(), text, value, attrs))
    for m in _HALF_YEAR_RE.finditer(text):
        attrs = {"unit": "month", "written_unit": "halvår"}
        facts.append(_fact("duration", m.start(), m.end(), text, 6, attrs))
    for m in _YEAR_ADJ_RE.finditer(text):
        years = adjective_years(m.group(0))
        if years:
            months = years * 12
            value = int(months) if float(months).is_integer() else months
            attrs = {"unit": "month", "written_unit": "år"}
            facts.append(_fact("duration", m.start(), m.end(), text, value, attrs))
    return facts


def _drop_overlaps(facts: list[Fact]) -> list[Fact]:
    """Keep the longest fact where spans overlap (a range wins over the dates inside it)."""
    kept: list[Fact] = []
    for f in sorted(facts, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    """Every date, period and duration in ``text``."""
    res = _Resolver(text, ctx)
    when = _drop_overlaps(_ranges(text, res) + _points(text, res) + _seasons(text, res, ctx))
    return sorted(when + _drop_overlaps(_durations(text)), key=lambda f: f.start)


def resolve_doc_date(value: str | date | None) -> date | None:
    """``"2020-01-21"`` → ``date(2020, 1, 21)``; ``None`` stays ``None``."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


# Speed only (see prefilter.py): literal pre-checks and equivalent faster forms;
# every match, span and group stays the same.
_ISO_RE = fast(_ISO_RE)
_DAY_MONTH_RE = fast(_DAY_MONTH_RE)
_MONTH_YEAR_RE = fast(_MONTH_YEAR_RE)
_RANGE = fast(_RANGE)
_DAY_RANGE = fast(_DAY_RANGE)
_YEAR_RANGE = fast(_YEAR_RANGE)
_YEAR_PERIOD = fast(_YEAR_PERIOD)
_BARE_MONTH_RE = fast(_BARE_MONTH_RE)
_SEASON_RE = fast(_SEASON_RE)
_PAST_SEASON_RE = fast(_PAST_SEASON_RE)
_RELATIVE_YEAR_RE = fast(_RELATIVE_YEAR_RE)
_DURATION_RE = fast(_DURATION_RE)
_HALF_YEAR_RE = fast(_HALF_YEAR_RE)
_YEAR_ADJ_RE = fast(_YEAR_ADJ_RE, lookahead=False)
