"""Snippets: best window, word-boundary cuts, highlight segments, matched words."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from projektatlas.search.query import parse_query
from projektatlas.search.snippets import ELLIPSIS, snippet

FILLER = "Styrelsen sammanträdde och gick igenom ekonomin för året. " * 6
TEXT = (
    FILLER
    + "Tolv samordningsförbund i Värmland driver projektet tillsammans med kommunen. "
    + FILLER
    + "Målgruppen är unga som varken arbetar eller studerar. "
    + "Personalen får kompetenshöjande insatser under hösten. "
    + FILLER
)


def _highlighted(s) -> list[str]:
    return [text for text, marked in s.segments if marked]


def test_window_with_most_distinct_terms_wins():
    s = snippet(TEXT, parse_query("förbund Varmland"), max_chars=160)
    assert _highlighted(s) == ["samordningsförbund", "Värmland"]
    assert s.matched_terms == ["samordningsförbund", "Värmland"]
    assert s.text_plain.startswith(ELLIPSIS) and s.text_plain.endswith(ELLIPSIS)
    assert len(s.text_plain) <= 160


def test_cuts_at_word_boundaries():
    s = snippet(TEXT, parse_query("kompetenshöjning"), max_chars=120)
    body = s.text_plain.strip(ELLIPSIS)
    words_in_text = set(TEXT.replace(".", " ").split())
    for word in body.replace(".", " ").split():
        assert word in words_in_text, word
    assert _highlighted(s) == ["kompetenshöjande"]


def test_phrase_highlights_consecutive_words_only():
    text = "Unga vuxna deltar. " + "Målgruppen är unga som varken arbetar eller studerar."
    s = snippet(text, parse_query('"unga som varken arbetar eller studerar"'), max_chars=240)
    assert _highlighted(s) == ["unga", "varken", "arbetar", "studerar"]
    assert s.segments[0] == ("Unga vuxna deltar. Målgruppen är ", False)


def test_segments_join_to_plain_text_and_are_not_html():
    text = "Stöd <b>till</b> kommunen & regionen i Gävle."
    s = snippet(text, parse_query("Gävle"), max_chars=240)
    assert "".join(t for t, _ in s.segments) == s.text_plain
    assert "<b>till</b>" in s.text_plain and "&" in s.text_plain
    assert _highlighted(s) == ["Gävle"]


def test_no_match_gives_text_start_without_highlights():
    s = snippet(TEXT, parse_query("barnfattigdom"), max_chars=100)
    assert s.matched_terms == []
    assert not _highlighted(s)
    assert s.text_plain.startswith("Styrelsen sammanträdde")
    assert s.text_plain.endswith(ELLIPSIS)


def test_prefix_and_negation():
    s = snippet(TEXT, parse_query("kompet* -Värmland"), max_chars=200)
    assert _highlighted(s) == ["kompetenshöjande"]
    assert "Värmland" not in s.matched_terms


def test_whitespace_is_collapsed_and_short_text_kept_whole():
    s = snippet("Samverkan\n\n  mellan   förbunden.", parse_query("förbund"))
    assert s.text_plain == "Samverkan mellan förbunden."
    assert s.segments == [("Samverkan mellan ", False), ("förbunden", True), (".", False)]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600), st.text(max_size=40), st.integers(min_value=20, max_value=300))
def test_property_snippet_never_fails_and_respects_length(text, q, max_chars):
    s = snippet(text, parse_query(q), max_chars=max_chars)
    assert "".join(t for t, _ in s.segments) == s.text_plain
    assert len(s.text_plain) <= max(max_chars, 22)


def test_over_long_word_is_cut_to_the_limit():
    s = snippet("förbund" + "x" * 500 + " förbund slut", parse_query("förbund"), max_chars=50)
    assert len(s.text_plain) <= 50
    assert s.matched_terms


def test_a_long_text_is_cut_around_the_word_not_around_an_earlier_compound_part():
    from projektatlas.search.service import SNIPPET_WINDOW, _window

    body = (
        "Förbundet satsar på kompetensförsörjning i regionen. "
        + FILLER * 3
        + "Personalen får kompetenshöjande insatser under hösten. "
        + FILLER * 3
    )
    query = parse_query("kompetenshöjning")
    assert len(body) > SNIPPET_WINDOW
    part, cut_before, _cut_after = _window(body, query)
    assert cut_before and "kompetenshöjande insatser" in part
    assert "kompetenshöjande" in snippet(part, query, 240).matched_terms
    # a word found only through its parts still gets a window around them
    part, _b, _a = _window(FILLER * 3 + "Höjning av kompetens i länet. " + FILLER * 3, query)
    assert "Höjning av kompetens" in part
