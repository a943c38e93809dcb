"""Swedish numerals and number words shared by the how-much/when/for-whom extractors.

``word_to_number("tolv")`` → 12, ``word_to_number("tjugofem")`` → 25,
``adjective_years("treårigt")`` → 3, ``parse_numeral("1 260")`` → 1260. Also the
sentence helper the extractors use to read qualifiers (``beviljat``, ``budget`` …).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from projektatlas.extract.prefilter import case_expanded
from projektatlas.normalize import parse_number

UNITS = {
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "tretton": 13,
    "fjorton": 14,
    "femton": 15,
    "sexton": 16,
    "sjutton": 17,
    "arton": 18,
    "aderton": 18,
    "nitton": 19,
}
TENS = {
    "tjugo": 20,
    "trettio": 30,
    "fyrtio": 40,
    "femtio": 50,
    "sextio": 60,
    "sjuttio": 70,
    "åttio": 80,
    "nittio": 90,
}
SCALES = {"hundra": 100, "tusen": 1000}
# Approximate group words: "ett tiotal" ≈ 10, "hundratals" = some hundreds (≥ 100).
APPROX_GROUPS = {
    "tiotal": 10,
    "tjugotal": 20,
    "trettiotal": 30,
    "fyrtiotal": 40,
    "femtiotal": 50,
    "sextiotal": 60,
    "sjuttiotal": 70,
    "åttiotal": 80,
    "nittiotal": 90,
    "hundratal": 100,
    "tusental": 1000,
}
AT_LEAST_GROUPS = {"tiotals": 10, "hundratals": 100, "tusentals": 1000}

_UNIT_ALT = "|".join(sorted(UNITS, key=len, reverse=True))
_TENS_ALT = "|".join(TENS)
# One number word, e.g. "tolv", "tjugofem", "fyrtio", "hundra", "tusen".
NUMBER_WORD = rf"(?:(?:{_TENS_ALT})(?:{_UNIT_ALT})?|{_UNIT_ALT}|hundra|tusen)"
# A digit numeral with optional thousands spaces and decimal comma: "1 260", "12,5", "399 819".
NUMERAL = (
    r"(?<![\d/.,:\-–])(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d+)(?:,\d+)?(?![\d/]|[.:\-–]\d)"
)
# Words that make an amount or count approximate, as written before the number.
APPROX_WORD = (
    r"(?:cirka|ca\.?|c:a|runt|drygt|omkring|ungefär|nästan|närmare|knappt|uppemot|"
    r"strax (?:över|under)|över|mer än|fler än|upp till|bortåt)"
)
# The same two, for ``re.IGNORECASE`` patterns only: explicit letter classes, much faster.
APPROX_WORD_FAST = case_expanded(APPROX_WORD)
NUMBER_WORD_FAST = case_expanded(NUMBER_WORD)
_EXACT_APPROX = {"över", "mer än", "fler än", "upp till"}

_NUMBER_WORD_RE = re.compile(
    rf"(?:(?P<tens>{_TENS_ALT})(?P<unit>{_UNIT_ALT})?|(?P<single>{_UNIT_ALT}))"
)


def word_to_number(word: str) -> int | None:
    """The value of one Swedish number word (1–99, hundra, tusen); ``None`` if it is not one."""
    w = word.lower().strip()
    if w in SCALES:
        return SCALES[w]
    m = _NUMBER_WORD_RE.fullmatch(w)
    if not m:
        return None
    if m.group("single"):
        return UNITS[m.group("single")]
    value = TENS[m.group("tens")]
    if m.group("unit"):
        unit = UNITS[m.group("unit")]
        if unit >= 10:
            return None
        value += unit
    return value


def parse_numeral(text: str) -> int | float | None:
    """A digit numeral (``"1 260"``, ``"12,5"``) or a number word (``"tolv"``)."""
    value = parse_number(text)
    if value is not None:
        return value
    return word_to_number(text)


def adjective_years(word: str) -> float | None:
    """Years in an adjective or compound: ``"treårigt"`` → 3, ``"tvåårsprojekt"`` → 2."""
    m = re.fullmatch(r"(\w+?)år(?:ig|igt|iga|s\w*)", word.lower())
    if not m:
        return None
    stem = m.group(1)
    if stem in {"halv", "halvt"}:
        return 0.5
    return word_to_number(stem)


def approximation(word: str | None) -> dict[str, object]:
    """Qualifier attrs for an approximation word before a number (``{}`` when none)."""
    if not word:
        return {}
    w = " ".join(word.lower().split())
    if w in _EXACT_APPROX:
        return {"qualifier": w, "lower_bound": True}
    return {"approximate": True, "qualifier": w}


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”–-])|\n\s*\n|\n(?=\s*[•>*-])")


@lru_cache(maxsize=16)
def _sentence_breaks(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts of breaks, ends of breaks) of every sentence break in ``text``."""
    breaks = list(_SENTENCE_END.finditer(text))
    return tuple(m.start() for m in breaks), tuple(m.end() for m in breaks)


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence (or line block) around character ``pos``."""
    starts, ends = _sentence_breaks(text)
    i = bisect_right(ends, pos)  # breaks wholly before pos: ends[:i] <= pos
    start = ends[i - 1] if i else 0
    j = bisect_left(starts, pos)
    end = starts[j] if j < len(starts) else len(text)
    return start, end


def nearest_keyword(
    text: str,
    start: int,
    end: int,
    keywords: dict[str, re.Pattern[str]],
    look_back: bool = False,
) -> str | None:
    """The label whose pattern occurs nearest to ``text[start:end]`` in the same sentence.

    With ``look_back``, a sentence without any keyword defers to the previous sentence of
    the same paragraph ("… har beviljats medel. Pengarna, cirka 24 miljoner kr, …").
    """
    s_start, s_end = sentence_span(text, start)
    best: tuple[int, str] | None = None
    for label, pattern in keywords.items():
        for m in pattern.finditer(text, s_start, s_end):
            a, b = m.start(), m.end()
            distance = start - b if b <= start else max(0, a - end)
            if best is None or distance < best[0]:
                best = (distance, label)
    if best is None and look_back and s_start > 0 and "\n\n" not in text[s_start - 3 : s_start]:
        prev_start, _ = sentence_span(text, max(0, s_start - 2))
        if prev_start < s_start:
            return nearest_keyword(text, prev_start, prev_start, keywords)
    return best[1] if best else None
