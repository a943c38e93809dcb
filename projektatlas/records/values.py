"""Turn one raw field value into its normalised value (or None plus a warning)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from projektatlas.normalize import (
    clean_spaces,
    normalise_org_number,
    parse_amount_sek,
    parse_number,
    parse_rate,
)

DNR_2021_RE = re.compile(r"(\d{2})-(\d{3})-([Ss])(\d{2})")
DNR_2014_RE = re.compile(r"(\d{4})/(\d{5})")

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4,
    "apr": 4, "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_DATE_RE = re.compile(
    r"(?P<iso>(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2}))(?!\d)"
    r"|(?P<sv>(?P<sd>\d{1,2})\s+(?P<sm>[a-zåäö]+)\.?\s+(?P<sy>\d{4}))",
    re.IGNORECASE,
)
_PERIOD_SEP_RE = re.compile(r"^\s*(?:[-–—]|till|to|t\.?\s?o\.?\s?m\.?)\s*$", re.IGNORECASE)
_YES = {"ja", "yes", "j", "sant", "true"}
_NO = {"nej", "no", "n", "falskt", "false"}
_AREA_RE = re.compile(
    r"^(?:programområde|prioriterat område|programme area|specifikt mål|specifika mål|"
    r"delmål|mål|objective|po)?\s*"
    r"(?P<code>[A-F](?:\d{1,2}[A-Z]?)?|\d(?:[.:,]\d{1,2})?)"
    r"(?=$|[\s.:,;)–—-])[\s.:,;)–—-]*(?P<label>.*)$",
    re.IGNORECASE,
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?<![\w/])(?:\+46[\s-]?|0)\d{1,4}(?:[\s-]?\d){5,9}(?!\w)")


@dataclass(frozen=True, slots=True)
class DateHit:
    value: date
    start: int
    end: int


def normalise_diarienummer(text: str) -> str | None:
    """``"23-001-s01"`` → ``"23-001-S01"``; ``"2020/00701"``; anything else → None."""
    s = clean_spaces(text)
    m = DNR_2021_RE.fullmatch(s)
    if m:
        return f"{m.group(1)}-{m.group(2)}-S{m.group(4)}"
    if DNR_2014_RE.fullmatch(s):
        return s
    return None


def period_of_diarienummer(dnr: str) -> str | None:
    if DNR_2021_RE.fullmatch(dnr):
        return "2021-2027"
    if DNR_2014_RE.fullmatch(dnr):
        return "2014-2020"
    return None


def find_dates(text: str) -> list[DateHit]:
    """Every valid date in `text` (ISO, or Swedish "1 november 2011") with its span."""
    hits: list[DateHit] = []
    for m in _DATE_RE.finditer(text):
        try:
            if m.group("iso"):
                d = date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            else:
                month = _MONTHS.get(m.group("sm").casefold())
                if month is None:
                    continue
                d = date(int(m.group("sy")), month, int(m.group("sd")))
        except ValueError:
            continue
        hits.append(DateHit(d, m.start(), m.end()))
    return hits


def parse_period(text: str) -> tuple[DateHit, DateHit] | None:
    """``"2015-05-01-2018-06-30"``, ``"2011-11-01 till 2014-06-30"`` → the two dates."""
    hits = find_dates(text)
    if len(hits) != 2:
        return None
    first, second = hits
    if not _PERIOD_SEP_RE.match(text[first.end : second.start]):
        return None
    return first, second


def parse_single_date(text: str) -> date | None:
    hits = find_dates(text)
    return hits[0].value if len(hits) == 1 else None


def parse_yes_no(text: str) -> bool | None:
    s = clean_spaces(text).casefold().rstrip(".")
    if s in _YES:
        return True
    if s in _NO:
        return False
    return None


def parse_area(text: str) -> tuple[str, str | None, str | None] | None:
    """(code, objective or None, label text or None) from a programme-area value.

    ``"A"`` → ("A", None, None); ``"A1B"`` → ("A", "A1B", None); ``"3.1 Sysselsättnings-
    initiativet för unga"`` → ("3", "3.1", "Sysselsättningsinitiativet för unga");
    ``"Programområde 2 Ökat arbetskraftsutbud"`` → ("2", None, "Ökat arbetskraftsutbud").
    """
    m = _AREA_RE.match(clean_spaces(text))
    if not m:
        return None
    code = re.sub("[:,]", ".", m.group("code").upper())
    label = m.group("label").strip() or None
    if len(code) == 1:
        return code, None, label
    return area_of_objective(code), code, label


def area_of_objective(code: str) -> str:
    """``"1.1"`` → ``"1"``, ``"A1B"`` → ``"A"``, ``"C1"`` → ``"C"``."""
    return code.split(".")[0] if code[0].isdigit() else code[0]


def parse_objective(text: str) -> tuple[str, str | None] | None:
    """(objective code, label text) from a specific-objective value ("1.1", "A1B", "C1")."""
    parsed = parse_area(text)
    if parsed is None or parsed[1] is None:
        return None
    return parsed[1], parsed[2]


def parse_participants(text: str) -> int | None:
    s = re.sub(r"\s*(st|stycken|personer|deltagare)\.?\s*$", "", clean_spaces(text), flags=re.I)
    value = parse_number(s)
    if isinstance(value, int) and value >= 0:
        return value
    return None


def parse_postal_code(text: str) -> str | None:
    s = re.sub(r"^(SE|S)-?\s*", "", clean_spaces(text), flags=re.IGNORECASE)
    digits = re.sub(r"\s", "", s)
    return digits if re.fullmatch(r"[1-9]\d{4}", digits) else None


def parse_intervention_type(text: str) -> str | None:
    s = clean_spaces(text)
    m = re.match(r"^(\d{2,3})(?:$|[\s.:–—-])", s)
    return m.group(1) if m else (s or None)


def parse_fund(text: str) -> str | None:
    """``"ESF+"``, ``"Europeiska socialfonden+ (ESF+)"`` → "ESF+"; ``"ESF"`` → "ESF"."""
    s = clean_spaces(text)
    if re.search(r"esf\s*\+|esf\s*plus|socialfonden\s*(?:\+|plus)", s, re.IGNORECASE):
        return "ESF+"
    if re.fullmatch(r"(?:europeiska\s+socialfonden|esf)(?:\s*\(esf\))?", s, re.IGNORECASE):
        return "ESF"
    return s or None


def parse_programme_period(text: str) -> str | None:
    m = re.fullmatch(r"(\d{4})\s*[-–—/]\s*(\d{4})", clean_spaces(text))
    if not m:
        return None
    period = f"{m.group(1)}-{m.group(2)}"
    return period if period in {"2007-2013", "2014-2020", "2021-2027"} else None


def parse_phase(text: str) -> str | None:
    s = clean_spaces(text)
    known = {"förstudie": "Förstudie", "genomförande": "Genomförande",
             "genomförandeprojekt": "Genomförande", "implementation": "Genomförande",
             "pre-study": "Förstudie", "prestudy": "Förstudie"}  # fmt: skip
    return known.get(s.casefold(), s or None)


def convert(field: str, raw: str) -> tuple[Any, str | None]:
    """(value, warning) for one raw value of a canonical field; value None = not stored."""
    s = clean_spaces(raw)
    if not s:
        return None, None
    if field in {"diarienummer", "call_diarienummer"}:
        value = normalise_diarienummer(s)
        if value is None:
            if field == "call_diarienummer":
                return s, None
            return None, f"Diarienummer value {s!r} is not a valid diarienummer"
        return value, None
    if field in {"start_date", "end_date"}:
        d = parse_single_date(s)
        return (d, None) if d else (None, f"{field} value {s!r} is not a date")
    if field in {"total_budget_sek", "esf_support_sek"}:
        amount = parse_amount_sek(s)
        return (
            (amount, None)
            if amount is not None
            else (None, f"{field} value {s!r} is not an amount")
        )
    if field == "union_cofinancing_rate":
        rate = parse_rate(s)
        return (
            (rate, None)
            if rate is not None
            else (None, f"co-financing rate {s!r} is not a percentage")
        )
    if field == "participants_planned":
        n = parse_participants(s)
        return (n, None) if n is not None else (None, f"participant count {s!r} is not a number")
    if field == "owner_org_number":
        org = normalise_org_number(s)
        if org is None:
            # The value is not echoed: an invalid number may be a personnummer.
            return None, "organisation number is not a valid Swedish organisation number (Luhn)"
        return org, None
    if field in {"strategic_importance", "child_poverty_theme"}:
        flag = parse_yes_no(s)
        return (flag, None) if flag is not None else (None, f"{field} value {s!r} is not Ja/Nej")
    if field == "postal_code":
        code = parse_postal_code(s)
        return (code, None) if code else (None, f"postal code {s!r} is not five digits")
    if field == "intervention_type":
        return parse_intervention_type(s), None
    if field == "fund":
        return parse_fund(s), None
    if field == "programme_period":
        period = parse_programme_period(s)
        return (period, None) if period else (None, f"programme period {s!r} is not known")
    if field == "project_phase":
        return parse_phase(s), None
    if field == "programme_cci":
        return re.sub(r"\s", "", s).upper(), None
    return s, None
