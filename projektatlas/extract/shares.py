"""Shares written as percentages: ``"40 procent"``, ``"60%"``, ``"46 %"`` → 0.4, 0.6, 0.46.

``attrs.refers_to`` says whose share it is: ``eu_share`` (Unionens medfinansieringsgrad,
EU-andel, "EU står för"), ``cofinancing`` (the project's own co-financing, "finansierar
själva", "krav på medfinansiering") or ``other``. Percentage points
("procentenheter") are not shares. A range ("40-45%", "15–20 procent") gives its lower
bound as value and the upper bound in ``attrs.range_max``.
"""

from __future__ import annotations

import re

from projektatlas.extract.base import ExtractContext
from projektatlas.extract.numbers import (
    APPROX_WORD_FAST,
    NUMBER_WORD_FAST,
    NUMERAL,
    approximation,
    parse_numeral,
    sentence_span,
)
from projektatlas.extract.prefilter import fast
from projektatlas.model import Fact

NAME = "shares"
VERSION = "1.0"

_RANGE = re.compile(
    rf"(?:(?P<approx>{APPROX_WORD_FAST})\s+)?(?<![\d,])(?P<lo>\d{{1,3}}(?:,\d+)?)\s*(?:%\s*)?[-–]\s*"
    r"(?P<hi>\d{1,3}(?:,\d+)?)\s*(?:%|procents?\b)",
    re.IGNORECASE,
)
_PATTERN = re.compile(
    rf"(?:(?P<approx>{APPROX_WORD_FAST})\s+)?"
    rf"(?P<num>{NUMERAL}|\b{NUMBER_WORD_FAST}\b)\s*(?:%|procents?\b)",
    re.IGNORECASE,
)
# Fractions written in words: "hälften", "en tredjedel", "två tredjedelar", "tre fjärdedelar".
FRACTION_WORDS = {
    "hälften": 0.5,
    "en tredjedel": 1 / 3,
    "två tredjedelar": 2 / 3,
    "en fjärdedel": 0.25,
    "tre fjärdedelar": 0.75,
    "en femtedel": 0.2,
    "en tiondel": 0.1,
}
_FRACTION = re.compile(
    rf"(?:(?P<approx>{APPROX_WORD_FAST})\s+)?\b(?P<frac>hälften|en tredjedel|två tredjedelar|"
    r"en fjärdedel|tre fjärdedelar|en femtedel|en tiondel)\b",
    re.IGNORECASE,
)
_EU_SHARE = re.compile(
    r"medfinansieringsgrad\w*|eu-andel\w*|\bunionens\b|eu står för|eu-stöd\w*|"
    r"\b(?:eu|esf\+?|socialfonden)\b[^.!?]{0,25}?\b(?:stå|står|bidra\w*|finansiera\w*|betala\w*)\b|"
    r"esf-stöd\w*|stödnivå\w*",
    re.IGNORECASE,
)
_COFINANCING = re.compile(
    r"medfinansi\w*|finansierar (?:själva|resten|\w+ själva)|egen finansiering|"
    r"egenfinansiering|eget bidrag|själva står för|står själva för|resten av kostnade\w*|"
    r"resterande|återstående",
    re.IGNORECASE,
)


# Cues that the share is the project's own even when "medfinansieringsgrad" is written.
_OWN = re.compile(
    r"från projekt\w*|\bsjälva\b|\begen\b|\begna\b|krav på medfinansiering|"
    r"medfinansieringen (?:ska|skall) uppgå",
    re.IGNORECASE,
)


def refers_to(text: str, start: int, end: int) -> str:
    """Whose share the percentage at ``start:end`` is, read from its sentence.

    The project's own cues ("från projekten", "själva", "krav på medfinansiering") win
    over EU cues; then EU cues (Unionens, medfinansieringsgrad, EU-andel, "EU står för");
    then any word on co-financing.
    """
    s_start, s_end = sentence_span(text, start)
    sentence = text[s_start:s_end]
    if _OWN.search(sentence):
        return "cofinancing"
    if _EU_SHARE.search(sentence):
        return "eu_share"
    if _COFINANCING.search(sentence):
        return "cofinancing"
    return "other"


def _share(m: re.Match[str], text: str, value: float, confidence: float, attrs: dict) -> Fact:
    """A share fact for match ``m``, with its approximation and what it refers to."""
    attrs.update(approximation(m.group("approx")))
    attrs["refers_to"] = refers_to(text, m.start(), m.end())
    return Fact(
        type="share",
        text=m.group(0),
        value=round(value, 6),
        start=m.start(),
        end=m.end(),
        confidence=confidence,
        extractor=NAME,
        extractor_version=VERSION,
        attrs=attrs,
    )


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    """Every percentage share in ``text``."""
    facts: list[Fact] = []
    for m in _PATTERN.finditer(text):
        number = parse_numeral(m.group("num"))
        if number is not None and 0 <= number <= 100:
            facts.append(_share(m, text, number / 100, 0.95, {"percent": number}))
    for m in _RANGE.finditer(text):
        lo, hi = parse_numeral(m.group("lo")), parse_numeral(m.group("hi"))
        if lo is not None and hi is not None and 0 <= lo < hi <= 100:
            attrs = {"percent": lo, "range_max": round(hi / 100, 6)}
            facts.append(_share(m, text, lo / 100, 0.85, attrs))
    for m in _FRACTION.finditer(text):
        value = FRACTION_WORDS[" ".join(m.group("frac").lower().split())]
        facts.append(_share(m, text, value, 0.8, {"written": "fraction"}))
    facts.sort(key=lambda f: f.start)
    return facts


# Speed only (see prefilter.py): literal pre-checks and equivalent faster forms;
# every match, span and group stays the same.
_PATTERN = fast(_PATTERN)
_RANGE = fast(_RANGE)
_FRACTION = fast(_FRACTION)
