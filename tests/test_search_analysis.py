"""Swedish analysis: tokens, stems, compounds, folding, stop words, FTS5 end to end."""

from __future__ import annotations

import re
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from projektatlas.search.analysis import (
    analyze_for_index,
    analyze_tokens,
    fold,
    folded_terms,
    index_terms,
    query_terms,
    stop_words,
)
from projektatlas.search.compounds import split_compound
from projektatlas.search.query import parse_query, to_fts5

TERM_RE = re.compile(r"[a-z0-9åäöéü_]+")

DOCS = {
    "finsam": "Samordningsförbunden i länet finansierar gemensamma rehabiliteringsinsatser.",
    "enhet": "Arbetsmarknadsenheten i kommunen tar emot deltagare varje vecka.",
    "kompetens": "Projektet erbjuder kompetenshöjande insatser för vårdpersonal.",
    "region": "Deltagarna kommer från hela Värmland och Dalarna.",
    "unga": "Målgruppen är unga som varken arbetar eller studerar i Gävle.",
    "spridd": "Unga vuxna studerar ofta, men varken föräldrar eller lärare arbetar här.",
    "annat": "Styrelsen beslutade om en ny budget för hösten.",
}


def _fts_table(single_column: bool) -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    if single_column:
        con.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(name UNINDEXED, terms, folded,"
            " tokenize='unicode61 remove_diacritics 0')"
        )
        for name, text in DOCS.items():
            terms = index_terms(text)
            con.execute(
                "INSERT INTO fts VALUES (?, ?, ?)",
                (name, " ".join(terms), " ".join(folded_terms(terms))),
            )
    else:
        con.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(name UNINDEXED, stems, parts, stems_folded,"
            " parts_folded, tokenize='unicode61 remove_diacritics 0')"
        )
        for name, text in DOCS.items():
            doc = analyze_for_index(text)
            con.execute(
                "INSERT INTO fts VALUES (?, ?, ?, ?, ?)",
                (
                    name,
                    " ".join(doc.stems),
                    " ".join(doc.parts),
                    " ".join(folded_terms(doc.stems)),
                    " ".join(folded_terms(doc.parts)),
                ),
            )
    return con


def _search(con: sqlite3.Connection, q: str) -> set[str]:
    expr = to_fts5(parse_query(q))
    return {row[0] for row in con.execute("SELECT name FROM fts WHERE fts MATCH ?", (expr,))}


@pytest.fixture(params=[False, True], ids=["columns", "single"])
def fts(request) -> sqlite3.Connection:
    return _fts_table(request.param)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("förbund", {"finsam"}),
        ("samordningsförbund", {"finsam"}),
        ("kompetenshöjning", {"kompetens"}),
        ("arbetsmarknad", {"enhet"}),
        ("Varmland", {"region"}),
        ("värmland", {"region"}),
        ("samordningsforbunden", {"finsam"}),
        ("forbund", {"finsam"}),
        ("kompetenshojning", {"kompetens"}),
        ("samordningsforbundets", {"finsam"}),
        ("Gävle", {"unga"}),
        ("kompetensutveckling", set()),
        ("kompetens*", {"kompetens"}),
        ("förbund OR Gavle", {"finsam", "unga"}),
        ('"unga som varken arbetar eller studerar"', {"unga"}),
        ("unga varken arbetar studerar", {"unga", "spridd"}),
        ("rehabilitering", {"finsam"}),
        ("budget -hösten", set()),
    ],
)
def test_acceptance_examples_through_fts5(fts, query, expected):
    assert _search(fts, query) == expected


def test_exact_stem_ranks_above_part_match():
    con = _fts_table(single_column=False)
    con.execute(
        "INSERT INTO fts VALUES ('exakt', 'förbund', '', 'forbund', '')",
    )
    expr = to_fts5(parse_query("förbund"))
    rows = con.execute(
        "SELECT name FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, 4.0, 1.0, 2.0, 0.5)",
        (expr,),
    ).fetchall()
    assert [r[0] for r in rows] == ["exakt", "finsam"]


@pytest.mark.parametrize(
    "forms",
    [
        ["förbund", "förbunden", "förbundet", "förbundets", "förbunds"],
        ["insats", "insatsen", "insatser", "insatserna"],
        ["marknad", "marknaden", "marknader"],
        ["kompetens", "kompetensen", "kompetenser"],
        ["arbete", "arbetet", "arbetar", "arbeta"],
        ["kommun", "kommunen", "kommuner", "kommunernas"],
        ["samordningsförbund", "samordningsförbunden", "samordningsförbundets"],
        ["utbildning", "utbildningen", "utbildningar"],
        ["kassa", "kassan", "kassans", "kassor"],
        ["Dalarna", "Dalarnas"],
    ],
)
def test_inflections_share_a_stem(forms):
    stems = {query_terms(f)[0] for f in forms}
    assert len(stems) == 1, stems


def test_derivational_root_links_noun_and_participle():
    assert "kompetenshöj" in query_terms("kompetenshöjning")
    assert query_terms("kompetenshöjande")[0] == "kompetenshöj"
    assert "samordn" in query_terms("samordning")
    assert query_terms("samordnande")[0] == "samordn"


@pytest.mark.parametrize(
    ("word", "bases"),
    [
        ("samordningsförbunden", ["samordning", "förbund"]),
        ("arbetsmarknadsenheten", ["arbete", "marknad", "enhet"]),
        ("kompetensutvecklingsinsatser", ["kompetens", "utveckling", "insats"]),
        ("socialfondsmedel", ["social", "fond", "medel"]),
        ("långtidsarbetslösa", ["långtid", "arbete", "lösa"]),
    ],
)
def test_compound_splits(word, bases):
    parts = split_compound(word)
    assert "".join(p.surface for p in parts) == word
    assert [p.base for p in parts[:-1]] == bases[:-1]
    assert parts[-1].surface.startswith(bases[-1][:4])


@pytest.mark.parametrize(
    "word", ["kommun", "kommunen", "värmland", "ungdomar", "deltagare", "utbildning", "samverkan"]
)
def test_no_false_splits(word):
    assert split_compound(word) == ()


def test_compound_parts_are_index_terms():
    terms = query_terms("arbetsmarknadsenheten")
    assert terms[0] == "arbetsmarknadsenhet"
    for expected in ("arbet", "marknad", "enhet", "arbetsmarknad"):
        assert expected in terms
    assert "förbund" in query_terms("Samordningsförbundens")


def test_tokenisation_keeps_case_numbers_and_splits_hyphens():
    tokens = analyze_tokens("Ärende 23-001-S01 och dnr 2020/00701 gäller ESF-rådet.")
    stems = [t.stem for t in tokens]
    assert "23_001_s01" in stems
    assert "2020_00701" in stems
    esf = next(t for t in tokens if t.text == "ESF-rådet")
    assert esf.stem == "esfråd"
    assert {"esf", "råd"} <= set(esf.parts)
    assert tokens[0].text == "Ärende" and tokens[0].start == 0 and tokens[0].end == 6


def test_nfc_input_is_normalised():
    decomposed = "Va\u0308rmland"  # ä as a + combining diaeresis
    assert query_terms(decomposed) == query_terms("Värmland")


def test_words_typed_without_diacritics_analyse_like_folded_words():
    for plain, swedish in [
        ("forbundet", "förbundet"),
        ("samordningsforbunden", "samordningsförbunden"),
        ("Gavle", "Gävle"),
        ("Orebro", "Örebro"),
    ]:
        assert query_terms(plain)[0] == fold(query_terms(swedish)[0])
    parts = split_compound("arbetsmarknadsatgarder")
    assert [p.surface for p in parts] == ["arbets", "marknads", "atgarder"]


def test_folding():
    assert fold("värmländsk åkeri över") == "varmlandsk akeri over"
    assert folded_terms(["söderhamn", "älvdalen", "café"]) == ["soderhamn", "alvdalen", "cafe"]


def test_stop_words():
    words = stop_words()
    assert {"och", "som", "eller", "att"} <= words
    for content in ("unga", "arbete", "arbetar", "studerar", "varken", "man"):
        assert content not in words
    assert query_terms("och") == []
    assert index_terms("och som att") == []


def test_foreign_letters_map_into_term_alphabet():
    assert query_terms("Øresund") == ["öresund"]
    assert query_terms("Mañana") == query_terms("manana")
    cyr = query_terms("Москва")
    assert cyr and TERM_RE.fullmatch(cyr[0])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_terms_always_use_the_term_alphabet(text):
    terms = index_terms(text)
    assert all(TERM_RE.fullmatch(t) for t in terms)
    assert all(TERM_RE.fullmatch(t) for t in folded_terms(terms))
    assert all(len(t) <= 64 for t in terms)


def test_long_words_do_not_blow_up():
    terms = index_terms("arbets" * 2000 + " kommun")
    assert terms and terms[0] != "" and "kommun" in terms


@pytest.mark.slow
def test_derived_lexicon_file_matches_the_hunspell_dictionary():
    from projektatlas.search import compounds

    derived = compounds._read_lexicon_file(compounds._lexicon_file())
    parsed = compounds._parse_hunspell()
    assert derived.words == parsed.words
    assert derived.begin == parsed.begin
    assert derived.middle == parsed.middle
    assert derived.end == parsed.end
    assert derived.proper == parsed.proper
