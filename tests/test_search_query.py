"""Query language: grammar, escaping, FTS5 and tsquery validity (property tests)."""

from __future__ import annotations

import os
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projektatlas.search.analysis import analyze_for_index, folded_terms
from projektatlas.search.query import (
    And,
    Not,
    Or,
    Phrase,
    Prefix,
    parse_query,
    to_fts5,
    to_tsquery,
)

PG_URL = os.environ.get("PROJEKTATLAS_SEARCH_PG", "postgresql://postgres@127.0.0.1/test")
COLUMNS = ["stems", "parts"]
FOLDED = ["stems_folded", "parts_folded"]

NASTY = [
    "",
    "   ",
    '"',
    '"""',
    "(",
    ")",
    "((a",
    "a))",
    "()",
    "*",
    "**",
    "-",
    "--",
    "!",
    "OR",
    "AND",
    "NOT",
    "OCH ELLER INTE",
    "a OR",
    "OR a",
    "NOT a",
    "-a",
    "a NOT",
    "NEAR(a b, 3)",
    "col:term",
    "{a b}: c",
    "^start",
    "a + b",
    "'; DROP TABLE projects; --",
    "1' OR '1'='1",
    "a\x00b",
    "\\",
    "'\\'",
    "x:*",
    "a <-> b",
    "a & | ! b",
    "ä* ö*",
    "x" * 10_000,
    "(" * 3000 + "samverkan" + ")" * 10,
    " ".join(["förbund"] * 500),
    '"unga som varken',
    "kompet* -",
    "😀 emoji 🇸🇪",
    "Москва 北京",
]


@pytest.fixture(scope="module")
def sqlite_fts() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    con.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(stems, parts, stems_folded, parts_folded,"
        " tokenize='unicode61 remove_diacritics 0')"
    )
    doc = analyze_for_index("Samordningsförbunden i Värmland stöder unga som varken arbetar.")
    con.execute(
        "INSERT INTO fts VALUES (?, ?, ?, ?)",
        (
            " ".join(doc.stems),
            " ".join(doc.parts),
            " ".join(folded_terms(doc.stems)),
            " ".join(folded_terms(doc.parts)),
        ),
    )
    return con


@pytest.fixture(scope="module")
def pg():
    psycopg = pytest.importorskip("psycopg")
    try:
        con = psycopg.connect(PG_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL required in CI, not reachable at {PG_URL}: {exc}")
        pytest.skip(f"no PostgreSQL server reachable at {PG_URL}: {exc}")
    yield con
    con.close()


def _check_fts(con: sqlite3.Connection, q: str) -> None:
    query = parse_query(q)
    for expr in (to_fts5(query), to_fts5(query, COLUMNS, FOLDED), to_fts5(query, COLUMNS)):
        if query.is_empty:
            assert expr == ""
        else:
            con.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (expr,)).fetchone()


# ----------------------------------------------------------------- grammar


def test_implicit_and_and_words():
    root = parse_query("samverkan Gävle").root
    assert isinstance(root, And)
    assert [w.text for w in root.items] == ["samverkan", "Gävle"]


@pytest.mark.parametrize("op", ["OR", "ELLER", "|"])
def test_or_operators(op):
    root = parse_query(f"Dalarna {op} Gävleborg").root
    assert isinstance(root, Or) and len(root.items) == 2


@pytest.mark.parametrize("q", ["Dalarna NOT Gävle", "Dalarna INTE Gävle", "Dalarna -Gävle"])
def test_not_operators(q):
    root = parse_query(q).root
    assert isinstance(root, And)
    assert isinstance(root.items[1], Not)
    assert root.items[1].item.text == "Gävle"


def test_and_operators_and_precedence():
    root = parse_query("a OCH b ELLER c AND d").root
    assert isinstance(root, Or)
    assert all(isinstance(i, And) for i in root.items)


def test_parentheses_group():
    root = parse_query("(Dalarna ELLER Värmland) samverkan").root
    assert isinstance(root, And)
    assert isinstance(root.items[0], Or)


def test_negated_group_with_dash():
    root = parse_query("ungdomar -(Stockholm OR Malmö)").root
    assert isinstance(root, And) and isinstance(root.items[1], Not)
    assert isinstance(root.items[1].item, Or)


def test_phrase_drops_stop_words_and_keeps_order():
    root = parse_query('"unga som varken arbetar eller studerar"').root
    assert isinstance(root, Phrase)
    assert [w.text for w in root.words] == ["unga", "varken", "arbetar", "studerar"]


def test_prefix_is_not_stemmed():
    root = parse_query("kompet*").root
    assert isinstance(root, Prefix) and root.term == "kompet"


def test_prefix_of_identifier_and_hyphenated_word():
    assert parse_query("2020/007*").root.term == "2020_007"
    assert parse_query("ESF-r*").root.term == "esfr"


def test_lower_case_swedish_operators_are_stop_words():
    root = parse_query("unga och äldre").root
    assert isinstance(root, And) and [w.text for w in root.items] == ["unga", "äldre"]


@pytest.mark.parametrize("q", ["", "  ", "och som att", "-Gävle", "NOT x", "OR", "*", "()"])
def test_empty_queries(q):
    query = parse_query(q)
    assert query.is_empty
    assert to_fts5(query) == "" and to_tsquery(query) == ""


def test_fts_syntax_pieces_become_plain_words():
    root = parse_query("NEAR(samverkan").root
    assert isinstance(root, And)
    assert {w.text for w in root.items} == {"NEAR", "samverkan"}
    assert isinstance(parse_query("kolumn:värde").root, Phrase)


def test_terms_for_highlighting():
    terms = parse_query("samordningsförbunden -Malmö kompet*").terms()
    assert "samordningsförbund" in terms and "förbund" in terms and "kompet" in terms
    assert "malmö" not in terms


# ----------------------------------------------------------------- output


def test_fts5_word_forms_and_quoting():
    expr = to_fts5(parse_query("samordningsförbunden"))
    assert expr == '("samordningsförbund" OR ("samordning" AND "förbund"))'


def test_fts5_folded_columns_only_for_words_without_diacritics():
    with_diacritics = to_fts5(parse_query("Värmland"), COLUMNS, FOLDED)
    assert "stems_folded" not in with_diacritics
    without = to_fts5(parse_query("Varmland"), COLUMNS, FOLDED)
    assert "{stems_folded parts_folded}" in without


def test_fts5_rejects_bad_column_names():
    with pytest.raises(ValueError):
        to_fts5(parse_query("a"), ["stems) OR 1"])


def test_tsquery_shapes():
    assert to_tsquery(parse_query("kompet*")) == "'kompet':*"
    assert to_tsquery(parse_query('"unga som varken arbetar"')) == "('ung' <-> 'vark' <-> 'arbet')"
    assert to_tsquery(parse_query("Dalarna -Gävle")) == "('dalarna' & !'gävle')"


@pytest.mark.parametrize("q", NASTY)
def test_nasty_inputs_give_valid_fts5(sqlite_fts, q):
    _check_fts(sqlite_fts, q)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=120))
def test_property_any_text_gives_valid_fts5(sqlite_fts, q):
    _check_fts(sqlite_fts, q)


_ALPHABET = st.sampled_from(
    [
        '"',
        "(",
        ")",
        "*",
        "-",
        "!",
        ":",
        "^",
        "+",
        "{",
        "}",
        "'",
        "\\",
        " ",
        " ",
        "OR ",
        "AND ",
        "NOT ",
        "OCH ",
        "ELLER ",
        "INTE ",
        "NEAR",
        "förbund",
        "Värmland",
        "2020/00701",
        "ä",
        "x",
        "|",
        "&",
        "<->",
        ":*",
        "unga",
        "som",
    ]
)


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_property_operator_soup_gives_valid_fts5(sqlite_fts, q):
    _check_fts(sqlite_fts, q)


@pytest.mark.postgres
@pytest.mark.parametrize("q", NASTY)
def test_nasty_inputs_give_valid_tsquery(pg, q):
    pg.execute("SELECT to_tsquery('simple', %s)", (to_tsquery(parse_query(q)),)).fetchone()


@pytest.mark.postgres
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(max_size=120), st.lists(_ALPHABET, max_size=30).map("".join)))
def test_property_any_text_gives_valid_tsquery(pg, q):
    pg.execute("SELECT to_tsquery('simple', %s)", (to_tsquery(parse_query(q)),)).fetchone()


@pytest.mark.postgres
def test_postgres_acceptance_end_to_end(pg):
    docs = {
        "finsam": "Samordningsförbunden i länet finansierar rehabilitering.",
        "enhet": "Arbetsmarknadsenheten tar emot deltagare.",
        "region": "Deltagarna kommer från Värmland.",
        "kompetens": "Kompetenshöjande insatser för personalen.",
    }
    pg.execute("CREATE TEMP TABLE IF NOT EXISTS search_doc (name text, tsv tsvector)")
    pg.execute("TRUNCATE search_doc")
    for name, text in docs.items():
        doc = analyze_for_index(text)
        pg.execute(
            "INSERT INTO search_doc VALUES (%s, setweight(to_tsvector('simple', %s), 'A')"
            " || setweight(to_tsvector('simple', %s), 'C')"
            " || setweight(to_tsvector('simple', %s), 'B')"
            " || setweight(to_tsvector('simple', %s), 'D'))",
            (
                name,
                " ".join(doc.stems),
                " ".join(doc.parts),
                " ".join(folded_terms(doc.stems)),
                " ".join(folded_terms(doc.parts)),
            ),
        )
    for q, expected in [
        ("förbund", {"finsam"}),
        ("arbetsmarknad", {"enhet"}),
        ("Varmland", {"region"}),
        ("kompetenshöjning", {"kompetens"}),
    ]:
        rows = pg.execute(
            "SELECT name FROM search_doc WHERE tsv @@ to_tsquery('simple', %s)",
            (to_tsquery(parse_query(q)),),
        ).fetchall()
        assert {r[0] for r in rows} == expected, q
