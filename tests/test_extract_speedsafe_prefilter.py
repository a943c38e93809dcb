"""The speed helpers never change a match: pre-checks, look-aheads, case expansion."""

from __future__ import annotations

import re

import pytest

from projektatlas.extract import counts, dates, money, personal, places, shares
from projektatlas.extract.numbers import (
    APPROX_WORD,
    APPROX_WORD_FAST,
    NUMBER_WORD,
    NUMBER_WORD_FAST,
)
from projektatlas.extract.prefilter import (
    VERIFIED_LETTERS,
    Guarded,
    Needs,
    TextView,
    case_expanded,
    fast,
    first_char_class,
    letter_class,
    with_lookahead,
)
from projektatlas.extract.taxonomy import find, load

# Own Swedish sentences, with odd capitals and look-alike characters (Kelvin sign, long s,
# dotted/dotless i, Ångström sign) that re.IGNORECASE treats as letters.
TEXTS = [
    "Förbundet har beviljats CIRKA 24 MILJONER KRONOR för tre års arbete med unga vuxna.",
    "Drygt 40 procent av deltagarna, ungefär hälften, fick arbete inom sex månader.",
    "Medfinansieringsgraden är 60 % och EU står för resten; 15–20 procent finansierar de själva.",
    "Tolv samordningsförbund och ett tiotal kommuner deltar, med 1 260 deltagare under 2024.",
    "Projektet pågår från 1 september 2023 till 31 augusti 2026, alltså i tre år.",
    "Unga som varken arbetar eller studerar får coachning, praktik och SIP-möten.",
    "Nyanlända kvinnor med kort utbildning erbjuds språkstöd och arbetsträning.",
    "\u212aartläggning och \u212bterkoppling: ſex månader, İps-metoden, ıps, ett halvt år.",
    "Kontaktperson: Anna Åhman, projektledare. Hon säger att Region Kalmar län deltar.",
    "Ca 5 mkr, c:a 3,5 Mkr, knappt 900 000 kr och strax över 2 miljarder satsas i Västerbotten.",
    "",
    "a",
    "Ingen siffra alls här, bara text om kakor och arbetsmarknaden.",
]

ALL_CHARS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def _matches(pattern, text: str) -> list[tuple[tuple[int, int], tuple]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("letter", sorted(VERIFIED_LETTERS))
def test_letter_class_is_exactly_what_ignorecase_matches(letter):
    expected = set(re.findall(re.escape(letter), ALL_CHARS, re.IGNORECASE))
    got = set(re.findall(letter_class(letter), ALL_CHARS))
    assert got == expected


def test_case_expanded_words_match_like_ignorecase():
    for plain, expanded in ((APPROX_WORD, APPROX_WORD_FAST), (NUMBER_WORD, NUMBER_WORD_FAST)):
        a = re.compile(rf"\b{plain}\b", re.IGNORECASE)
        b = re.compile(rf"\b{expanded}\b", re.IGNORECASE)
        for text in TEXTS:
            assert _matches(a, text) == _matches(b, text)
    assert case_expanded("(?:tre|fem)") == "(?-i:(?:[tT][rR][eE]|[fF][eE][mM]))"
    with pytest.raises(ValueError):
        case_expanded(r"\d+")
    with pytest.raises(ValueError):
        letter_class("ß")


def test_needs_finds_literals_every_match_contains():
    needs = Needs.of(re.compile(r"(?:cirka\s+)?\d+\s*(?:%|procents?\b)", re.IGNORECASE))
    assert set(needs.alternatives) == {"%", "procent", "procents"}
    assert needs.absent(TextView("Inga andelar här."))
    assert not needs.absent(TextView("Hela 40 PROCENT."))
    # nothing certain: no pre-check
    assert Needs.of(re.compile(r"\w+")).alternatives == ()
    assert Needs.of(re.compile(r"a|\d")).alternatives == ()


def test_needs_gives_up_on_texts_casefold_would_shift():
    needs = Needs.of(re.compile("sip", re.IGNORECASE))
    # re.IGNORECASE matches "SİP" (dotted capital I), casefold() would not contain "sip"
    assert re.search("sip", "SİP", re.IGNORECASE)
    assert not needs.absent(TextView("SİP"))
    assert not needs.absent(TextView("sıp"))


def test_first_char_class_and_lookahead_keep_every_match():
    p = re.compile(r"(?:(?P<a>cirka|drygt)\s+)?(?P<n>\d+|\btre\b)\s+år", re.IGNORECASE)
    assert first_char_class(p) == r"[cd\dt]"
    q = with_lookahead(p)
    for text in [*TEXTS, "CIRKA 3 ÅR", "tre år", "xdrygt 4 år"]:
        assert _matches(p, text) == _matches(q, text)
    # patterns that can match the empty string get no look-ahead
    assert first_char_class(re.compile(r"a*")) is None
    # a case-insensitive group in a case-sensitive pattern: both cases (and look-alikes)
    r = re.compile(r"(?i:kvinnor|\d)\b|Stina")
    assert first_char_class(r) == "[kK\u212a\\dS]"
    for text in [*TEXTS, "KVINNOR och \u212avinnor, 3 Stina"]:
        assert _matches(r, text) == _matches(with_lookahead(r), text)


@pytest.mark.parametrize(
    "guarded",
    [
        counts._PATTERN,
        counts._ANTAL,
        shares._PATTERN,
        shares._RANGE,
        shares._FRACTION,
        money._PATTERN,
        dates._DURATION_RE,
        dates._RANGE,
        dates._SEASON_RE,
        personal._PHONE,
        personal._EMAIL,
        places._pattern(),
    ],
)
def test_guarded_extractor_patterns_match_like_the_original(guarded):
    assert isinstance(guarded, Guarded)
    for text in TEXTS:
        assert _matches(guarded, text) == _matches(guarded.original, text)
        assert _matches(guarded.compiled, text) == _matches(guarded.original, text)


def test_fast_keeps_pattern_api():
    g = fast(re.compile(r"(?P<x>\d+) kr", re.IGNORECASE))
    assert g.pattern == r"(?P<x>\d+) kr"
    assert g.search("Det kostar 5 KR.").group("x") == "5"
    assert list(g.finditer("inga pengar")) == []
    assert g.findall("1 kr och 2 kr") == ["1", "2"]


def _naive_find(taxonomy, text):
    """The original matcher: every pattern, no pre-check."""
    found = []
    for i, pattern in taxonomy.patterns:
        for m in pattern.finditer(text):
            if "m" in pattern.groupindex and m.group("m") is not None:
                start, end = m.span("m")
            else:
                start, end = m.span()
            if end > start:
                found.append((taxonomy.entries[i]["id"], start, end))
    kept = []
    for item in sorted(found, key=lambda x: (-(x[2] - x[1]), x[1])):
        if any(k[1] < item[2] and item[1] < k[2] for k in kept):
            continue
        kept.append(item)
    return sorted(kept, key=lambda x: (x[1], x[2]))


@pytest.mark.parametrize("name", ["target_groups", "methods"])
def test_taxonomy_find_equals_the_naive_matcher(name):
    taxonomy = load(name)
    seen = 0
    for text in TEXTS:
        got = [(m.entry["id"], m.start, m.end) for m in find(taxonomy, text)]
        assert got == _naive_find(taxonomy, text)
        seen += len(got)
    assert seen > 3
