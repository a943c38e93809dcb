"""Normalisers for Swedish values as they are written in records and running text.

Every function returns ``None`` for empty or unparseable input; none of them guesses.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from organisationsnummer.organisationsnummer import (
    Organisationsnummer,
    OrganisationsnummerException,
)

# Spaces used as thousands separators: space, NBSP, narrow NBSP, thin space.
_THOUSANDS_SPACES = "\u0020\u00a0\u202f\u2009"
_NUMBER_RE = re.compile(
    r"[-−]?\d{1,3}(?:[ \u00a0\u202f\u2009.]\d{3})+(?:,\d+)?|[-−]?\d+(?:[.,]\d+)?"
)
_CURRENCY_RE = re.compile(r"\s*(kr|kronor|sek|:-)\.?\s*$", re.IGNORECASE)
_RATE_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%|procent)\s*$", re.IGNORECASE)
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def clean_spaces(text: str) -> str:
    """Fold every Unicode space to a plain space and trim; NFC-normalise (combining å → å)."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s\u00a0\u202f\u2009\u200b]+", " ", text).strip()


def blank_to_none(text: str | None) -> str | None:
    """An empty or whitespace-only value is unknown, never ``""``."""
    if text is None:
        return None
    text = clean_spaces(text)
    return text or None


def parse_number(text: str | None) -> int | float | None:
    """Parse a Swedish numeral: ``"27 129 996"`` → 27129996, ``"12,5"`` → 12.5.

    Thousands may be separated by space, NBSP, U+202F or a full stop; the decimal mark
    is a comma (a full stop followed by other than three digits is read as a decimal mark).
    """
    if text is None:
        return None
    s = unicodedata.normalize("NFC", text).strip()
    m = _NUMBER_RE.fullmatch(s)
    if not m:
        return None
    s = s.replace("−", "-")
    for ch in _THOUSANDS_SPACES:
        s = s.replace(ch, "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", s):
        s = s.replace(".", "")
    s = s.replace(",", ".")
    value = float(s)
    return int(value) if value.is_integer() and "." not in s else value


def parse_amount_sek(text: str | None) -> int | None:
    """A plain amount in kronor as written in a record: ``"399 819"``, ``"27 129 996 kr"``."""
    if text is None:
        return None
    s = _CURRENCY_RE.sub("", clean_spaces(text))
    value = parse_number(s)
    if value is None:
        return None
    return round(value)


def parse_rate(text: str | None) -> float | None:
    """A percentage as a fraction: ``"60%"`` → 0.6, ``"46 %"`` → 0.46, ``"40 procent"`` → 0.4."""
    if text is None:
        return None
    m = _RATE_RE.match(clean_spaces(text))
    if not m:
        return None
    value = float(m.group(1).replace(",", "."))
    if not 0 <= value <= 100:
        return None
    return round(value / 100, 6)


def parse_iso_date(text: str | None) -> date | None:
    """The first valid ISO 8601 date (YYYY-MM-DD) in ``text``."""
    if text is None:
        return None
    for m in _ISO_DATE_RE.finditer(text):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def normalise_org_number(text: str | None) -> str | None:
    """A valid organisation number written ``NNNNNN-NNNN`` (Luhn-checked), else ``None``.

    Accepts 10 digits, 12 digits with the ``16`` prefix, with or without hyphen. A
    personnummer (a sole trader's number) is personal data and is not accepted here.
    """
    if text is None:
        return None
    digits = re.sub(r"[\s\u00a0\u202f-]", "", text)
    if not re.fullmatch(r"(16)?\d{10}", digits):
        return None
    try:
        number = Organisationsnummer(digits)
    except OrganisationsnummerException:
        return None
    if number.is_personnummer():
        return None
    return number.format(True)


def org_number_kind(org_number: str) -> str | None:
    """The legal form implied by a valid organisation number (in Swedish, from its register)."""
    try:
        return Organisationsnummer(org_number).type()
    except OrganisationsnummerException:
        return None


_SMALL_WORDS = {"och", "i", "på", "för", "av", "med", "till", "om", "vid", "under", "de", "la"}
_KEEP_UPPER = {"AB", "HB", "KB", "ESF", "EU", "SKR", "SKL", "NNS", "RAR", "FINSAM", "SFI", "IT"}


def natural_case(name: str | None) -> str | None:
    """Display form of a name written in capitals: ``"KARLSTADS KOMMUN"`` → ``"Karlstads kommun"``.

    Names that are not all capitals are returned unchanged. The first word is capitalised;
    later words are lower-cased except known abbreviations, so ``"SAMORDNINGSFÖRBUNDET RAR
    SÖRMLAND"`` becomes ``"Samordningsförbundet RAR Sörmland"`` only where the words are
    known proper nouns; others keep a capital initial when they follow a name-like word.
    """
    if name is None:
        return None
    name = clean_spaces(name)
    letters = [c for c in name if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return name
    out: list[str] = []
    for i, word in enumerate(name.split(" ")):
        bare = word.strip(",.()")
        if bare in _KEEP_UPPER:
            out.append(word)
        elif i > 0 and bare.lower() in _SMALL_WORDS | _GENERIC_WORDS:
            out.append(word.lower())
        else:
            out.append(word[:1] + word[1:].lower())
    return " ".join(out)


# Organisation-kind words written in lower case inside Swedish names.
_GENERIC_WORDS = {
    "kommun",
    "kommuns",
    "län",
    "läns",
    "region",
    "stad",
    "stads",
    "landsting",
    "förvaltning",
    "förvaltningen",
    "socialförvaltningen",
    "arbetsmarknadsförvaltningen",
    "samordningsförbund",
    "folkhögskola",
    "församling",
    "stift",
    "ideell",
    "förening",
    "ekonomisk",
    "stiftelse",
}


_ID_RE = re.compile(r"[0-9]{1,10}")
MAX_ID = 2**31 - 1


def as_id(text: str | None) -> int | None:
    """An internal row id written by a user (ASCII digits within INTEGER range), else None.

    ``str.isdigit`` is not enough: it accepts "¹" and "²", which ``int`` refuses.
    """
    if text is None or not _ID_RE.fullmatch(text.strip()):
        return None
    value = int(text.strip())
    return value if 0 < value <= MAX_ID else None
