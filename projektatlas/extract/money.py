"""Amounts of money in Swedish running text.

``"cirka 24 miljoner kr"`` → 24000000 (approximate), ``"12,5 Mkr"`` → 12500000,
``"399 819 kr"`` → 399819, ``"1,4 miljarder"`` → 1400000000 when the sentence is about
money. A bare number without a currency word or a money scale is never money, so years,
diarienummer and phone numbers are left alone. ``attrs.refers_to`` is read from the
sentence: granted, budget, cofinancing or call.
"""

from __future__ import annotations

import re

from projektatlas.extract.base import ExtractContext
from projektatlas.extract.numbers import (
    APPROX_WORD_FAST,
    NUMBER_WORD_FAST,
    NUMERAL,
    approximation,
    nearest_keyword,
    parse_numeral,
    sentence_span,
)
from projektatlas.extract.prefilter import fast
from projektatlas.model import Fact

NAME = "money"
VERSION = "1.0"

# Unit words that carry both scale and currency.
_UNIT_SCALES = {
    "tkr": 1_000,
    "tsek": 1_000,
    "mkr": 1_000_000,
    "mnkr": 1_000_000,
    "mn kr": 1_000_000,
    "msek": 1_000_000,
    "mdkr": 1_000_000_000,
    "mdr kr": 1_000_000_000,
    "mdsek": 1_000_000_000,
}
# Scale words that need a currency word or a money sentence.
_SCALE_WORDS = {
    "tusen": 1_000,
    "miljon": 1_000_000,
    "miljoner": 1_000_000,
    "milj.": 1_000_000,
    "milj": 1_000_000,
    "mn": 1_000_000,
    "miljard": 1_000_000_000,
    "miljarder": 1_000_000_000,
    "mdr": 1_000_000_000,
}

_PATTERN = re.compile(
    rf"(?:(?P<approx>{APPROX_WORD_FAST})\s+)?"
    rf"(?P<num>{NUMERAL}|\b{NUMBER_WORD_FAST}\b)\s*"
    r"(?:(?P<unit>tkr|tsek|mnkr|mn kr|mkr|msek|mdkr|mdr kr|mdsek)\b"
    r"|(?P<scale>tusen|miljoner|miljon|milj\.|milj|mn|miljarder|miljard|mdr)"
    r"(?:\s+(?P<cur1>kronor|kr\b|sek\b|svenska kronor))?\b"
    r"|(?P<cur2>kronor|kr\b|sek\b|:-))",
    re.IGNORECASE,
)
_MONEY_CONTEXT = re.compile(
    r"kr\b|kronor|sek\b|medel|pengar|bevilja|budget|omslutning|stöd|finansier|kostnad|"
    r"kostar|satsa|utlys|anslag|bidrag|investera|dela\w* ut|avsätt|utbetal|fördela|\bvärde\b",
    re.IGNORECASE,
)
# After a bare scale ("1,4 miljarder") the next word must not be a counted noun: only
# punctuation, a function word or a money word may follow ("… till projekt", "… EU-medel").
_AFTER_BARE_SCALE = re.compile(
    r"\s*(?:$|[^\w\s]|(?:till|i|per|för|av|och|från|som|under|att|har|hade|kan|ska|skall|"
    r"kommer|är|var|blir|blev|totalt|sammanlagt|inom|ur|med|plus|extra|mer|mindre|varav|"
    r"vilket|direkt|årligen|om)\b|\S*(?:medel|pengar|anslag|bidrag|stöd)\w*)",
    re.IGNORECASE,
)
REFERS_TO = {
    "granted": re.compile(
        r"\bbevilja\w*|\btilldela\w*|\bfår\b|\bfått\b|\berhåll\w*|klartecken|esf-stöd\w*|"
        r"i stöd\b|stöd från",
        re.IGNORECASE,
    ),
    "budget": re.compile(r"budget\w*|omslutning\w*|omsluter|\bkostar\b", re.IGNORECASE),
    "cofinancing": re.compile(r"(?<!utan )(?<!krav på )medfinansi\w*", re.IGNORECASE),
    "call": re.compile(r"\butly\w*|\blyst\w* ut|\bavsätt\w*", re.IGNORECASE),
}


def extract(text: str, ctx: ExtractContext) -> list[Fact]:
    """Every amount of money in ``text``."""
    facts: list[Fact] = []
    for m in _PATTERN.finditer(text):
        number = parse_numeral(m.group("num"))
        if number is None:
            continue
        unit = (m.group("unit") or "").lower()
        scale_word = (m.group("scale") or "").lower()
        has_currency = bool(unit or m.group("cur1") or m.group("cur2"))
        if unit:
            scale = _UNIT_SCALES[" ".join(unit.split())]
        elif scale_word:
            scale = _SCALE_WORDS[scale_word]
        else:
            scale = 1
        confidence = 0.95
        if not has_currency:
            s_start, s_end = sentence_span(text, m.start())
            if not _MONEY_CONTEXT.search(text[s_start:s_end]) or not _AFTER_BARE_SCALE.match(
                text, m.end()
            ):
                continue
            confidence = 0.7
        if scale == 1 and m.group("num").isalpha() and number < 1000:
            continue  # "tre kronor" is rarely a project amount; "tusen kronor" is kept
        value = round(number * scale)
        attrs: dict[str, object] = {"currency": "SEK"}
        attrs.update(approximation(m.group("approx")))
        refers = nearest_keyword(text, m.start(), m.end(), REFERS_TO, look_back=True)
        if refers:
            attrs["refers_to"] = refers
        end = m.end()
        facts.append(
            Fact(
                type="money",
                text=text[m.start() : end],
                value=value,
                start=m.start(),
                end=end,
                confidence=confidence,
                extractor=NAME,
                extractor_version=VERSION,
                attrs=attrs,
            )
        )
    return facts


# Speed only (see prefilter.py): literal pre-checks and equivalent faster forms;
# every match, span and group stays the same.
_PATTERN = fast(_PATTERN)
