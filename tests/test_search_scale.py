"""The paths that keep search fast on large indexes give the same answers as the plain ones.

Ranking prefixes (`service.FULL_RANKING`), memoised match sets, position-based facet counts,
the folded-only match expression, the shared snippet matcher, the coarse vector pass and the
query-vector cache are each checked against a straightforward reference.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from projektatlas.search import semantic, service, snapshot
from projektatlas.search.analysis import analyze_tokens, fold
from projektatlas.search.entries import DOCUMENT, PROJECT, IndexEntry
from projektatlas.search.facets import FACETS, FacetColumn, FacetTable
from projektatlas.search.indexer import write_entries
from projektatlas.search.lexical_sqlite import match_expression
from projektatlas.search.query import Phrase, Prefix, parse_query
from projektatlas.search.semantic import HashingEmbedder, VectorIndex, cosine_top
from projektatlas.search.snippets import QueryMatcher, snippet
from projektatlas.search.tables import bump_version, ensure_tables, set_meta

WORDS = [
    "samordningsförbunden",
    "förbund",
    "Värmland",
    "Varmland",
    "kommunen",
    "unga",
    "arbetar",
    "studerar",
    "kompetenshöjande",
    "kompetenshöjning",
    "arbetsmarknadsenheten",
    "nyanlända",
    "insatser",
    "projektet",
    "Gävleborg",
    "Dalarna",
    "och",
    "i",
    "som",
    "för",
    "med",
    "psykisk",
    "ohälsa",
    "validering",
    "coachning",
]
QUERIES = [
    "förbund",
    "Varmland",
    "Värmland",
    "unga arbetar",
    "kompetenshöjning",
    "kommun -Varmland",
    "förbund OR nyanlända",
    "kompet*",
    '"psykisk ohälsa"',
    "arbetsmarknad validering",
    "unga studerar Gävleborg",  # all words required; falls back to any word when none match
]
FILTERS = [
    None,
    {"kind": ["project"]},
    {"esf_region": ["Sydsverige", "Västsverige"]},
    {"target_group": ["uvas"], "kind": ["project", "news"]},
]


def _entries(n: int = 90, seed: int = 5) -> list[IndexEntry]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40)))
        name = " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()
        region = rng.choice(["Sydsverige", "Västsverige", "Stockholm"])
        facets = [
            ("kind", "project" if i % 3 else "news", "projekt"),
            ("esf_region", region, region),
            ("start_year", str(2015 + i % 7), str(2015 + i % 7)),
        ]
        facets += [("target_group", t, t) for t in rng.sample(["uvas", "nyanlanda", "aldre"], 2)]
        out.append(
            IndexEntry(
                entry_type=PROJECT if i % 3 else DOCUMENT,
                source_id=i + 1,
                signature="t",
                title=name,
                name=name,
                body=body,
                sort_date=f"{2015 + i % 7}-0{1 + i % 9}-01",
                budget_sek=rng.randint(1, 9) * 1_000_000 if i % 4 else None,
                facets=facets,
            )
        )
    return out


@pytest.fixture
def index(engine, monkeypatch):
    monkeypatch.delenv("PROJEKTATLAS_SEMANTIC", raising=False)
    entries = _entries()
    embedder = HashingEmbedder()
    vectors = embedder.embed_passages([e.passage for e in entries])
    with engine.begin() as conn:
        ensure_tables(conn)
        write_entries(conn, entries, embedder, vectors)
        set_meta(conn, "embedder", embedder.name)
        bump_version(conn)
    snapshot.clear_cache()
    yield engine
    snapshot.clear_cache()


def _search(engine, q, **kwargs):
    with Session(engine) as session:
        return service.search(session, q, **kwargs)


def _all_answers(engine, semantic_on: bool) -> list[dict]:
    out = []
    for q in QUERIES:
        for filters in FILTERS:
            for offset in (0, 7):
                snapshot.clear_cache()
                out.append(
                    _search(engine, q, filters=filters, limit=6, offset=offset, semantic=False)
                )
                if semantic_on:
                    out.append(_search(engine, q, filters=filters, limit=6, semantic=True))
    return out


def test_ranking_prefix_and_full_ranking_agree(index, monkeypatch):
    expected = _all_answers(index, semantic_on=False)
    assert any(r["total"] > 8 for r in expected)
    monkeypatch.setattr(service, "FULL_RANKING", 3)  # prefix of 3: filters force deepening
    assert _all_answers(index, semantic_on=False) == expected


def test_memoised_answers_equal_fresh_ones(index):
    fresh = _all_answers(index, semantic_on=True)
    repeated = []
    for q in QUERIES:  # same calls, snapshot (and its memos) kept between them
        for filters in FILTERS:
            for offset in (0, 7):
                repeated.append(
                    _search(index, q, filters=filters, limit=6, offset=offset, semantic=False)
                )
                repeated.append(_search(index, q, filters=filters, limit=6, semantic=True))
    assert repeated == fresh


def test_match_only_expression_gives_the_same_set(index):
    if index.dialect.name != "sqlite":
        pytest.skip("FTS5 expression")
    with index.connect() as conn:
        cursor = conn.connection.cursor()
        for q in [*QUERIES, "Varmland -kommunen", '"samordningsforbunden varmland"', "gavleborg"]:
            query = parse_query(q)
            full = match_expression(query)
            cheap = match_expression(query, match_only=True)
            sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH ?"
            assert {r[0] for r in cursor.execute(sql, (full,))} == {
                r[0] for r in cursor.execute(sql, (cheap,))
            }, q
        cursor.close()


def test_facet_counts_equal_the_number_of_results_per_value(index):
    for q in ("förbund", "", "unga arbetar"):
        for filters in FILTERS:
            result = _search(index, q, filters=filters, semantic=False)
            for facet in ("kind", "esf_region", "target_group"):
                for item in result["facets"][facet][:3]:
                    chosen = dict(filters or {})
                    chosen[facet] = [item["value"]]
                    total = _search(index, q, filters=chosen, semantic=False)["total"]
                    assert item["count"] == total, (q, filters, facet, item)


def _reference_counts(table: FacetTable, matched: np.ndarray, filters) -> dict:
    """The former mask-based counting (kept here as the reference)."""
    out = {}
    final = matched & table.filter_mask(filters)
    for facet in FACETS:
        col = table.columns.get(facet)
        if col is None or not col.values:
            out[facet] = []
            continue
        base = matched & table.filter_mask(filters, exclude=facet) if facet in filters else final
        counts = np.bincount(col.code[base[col.pos]], minlength=len(col.values))
        order = sorted(
            (
                i
                for i in range(len(col.values))
                if counts[i] > 0 or col.values[i] in filters.get(facet, ())
            ),
            key=lambda i: (-int(counts[i]), col.values[i]),
        )
        out[facet] = [
            {"value": col.values[i], "label": col.labels[i], "count": int(counts[i])} for i in order
        ]
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_position_counts_equal_mask_counts(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 60))
    columns = {}
    for facet, multi in (("kind", False), ("target_group", True), ("esf_region", True)):
        col = FacetColumn(values=["a", "b", "c"], labels=["A", "B", "C"])
        col.code_of = {"a": 0, "b": 1, "c": 2}
        pairs = {
            (int(p), int(c))
            for p in range(size)
            for c in rng.choice(3, int(rng.integers(0, 3 if multi else 2)), replace=False)
        }
        pairs_list = sorted(pairs, key=lambda pc: rng.random())  # unsorted, like the table
        col.pos = np.asarray([p for p, _ in pairs_list], np.int64)
        col.code = np.asarray([c for _, c in pairs_list], np.int32)
        col.finish(size)
        columns[facet] = col
    table = FacetTable(np.arange(size, dtype=np.int64) * 2, columns)
    matched = rng.random(size) < 0.6
    filters = {}
    if rng.random() < 0.5:
        filters["target_group"] = ["a", "c"]
    if rng.random() < 0.5:
        filters["kind"] = ["b", "zzz"]
    assert table.counts(matched, filters) == _reference_counts(table, matched, filters)


# --------------------------------------------------------------------------- snippets


def _reference_hits(text: str, q: str) -> list[tuple[int, int, str]]:
    """Matched token spans by the former token-by-token algorithm."""
    query = parse_query(q)
    tokens = analyze_tokens(text)
    forms = [t.forms for t in tokens]
    both = [f | {fold(t) for t in f} for f in forms]
    hits = set()

    def word_matches(word, i):
        f = both[i] if word.forms.folded else forms[i]
        alts = set(word.forms.alternatives)
        if word.forms.folded:
            alts |= {fold(t) for t in word.forms.alternatives}
            group = tuple(fold(t) for t in word.forms.part_group)
        else:
            group = word.forms.part_group
        return not alts.isdisjoint(f) or (len(group) > 1 and all(t in f for t in group))

    for leaf in query.leaves():
        if isinstance(leaf, Phrase):
            n = len(leaf.words)
            for i in range(len(tokens) - n + 1):
                if all(word_matches(w, i + k) for k, w in enumerate(leaf.words)):
                    hits.update(range(i, i + n))
        elif isinstance(leaf, Prefix):
            for i, t in enumerate(tokens):
                cands = (t.text.lower(), t.stem)
                if leaf.folded:
                    ok = any(fold(c).startswith(fold(leaf.term)) for c in cands)
                else:
                    ok = any(c.startswith(leaf.term) for c in cands)
                if ok:
                    hits.add(i)
        else:
            hits.update(i for i in range(len(tokens)) if word_matches(leaf, i))
    return sorted((tokens[i].start, tokens[i].end, tokens[i].text) for i in hits)


_text = st.lists(st.sampled_from([*WORDS, ",", ".", "\n", "ÅÄÖ", "x-y"]), max_size=60).map(" ".join)
_query = st.lists(
    st.sampled_from([*WORDS[:12], "-kommun", "kompet*", '"unga arbetar"', "OR"]),
    min_size=1,
    max_size=4,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(_text, _query)
def test_shared_matcher_finds_what_the_token_analysis_finds(text, q):
    query = parse_query(q)
    if query.is_empty:
        return
    matcher = QueryMatcher(query)
    tokens, hits = matcher.tokens_and_hits(text)
    found = sorted({tokens[i] for i, _ in hits})
    assert found == _reference_hits(text, q)
    # one matcher for several texts gives what a fresh matcher gives
    assert snippet(text, query, 120, matcher) == snippet(text, query, 120)


# --------------------------------------------------------------------------- vectors


def _clustered(n: int, dim: int = 64, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, dim)).astype(np.float32)
    rows = centres[rng.integers(0, 40, n)] + 0.3 * rng.standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_coarse_vector_pass_finds_the_exact_neighbours(monkeypatch):
    monkeypatch.setattr(semantic, "COARSE_MIN_ROWS", 1_000)
    monkeypatch.setattr(semantic, "COARSE_DIMS", 16)
    monkeypatch.setattr(semantic, "COARSE_CANDIDATES", 300)
    matrix = _clustered(3_000)
    present = np.ones(len(matrix), bool)
    present[::7] = False
    matrix[~present] = 0.0
    index = VectorIndex(matrix, present)
    assert index.coarse
    rng = np.random.default_rng(2)
    allowed = present & (rng.random(len(matrix)) < 0.5)
    recall = []
    for q in range(20):
        query = matrix[q * 11 + 1] if present[q * 11 + 1] else matrix[q * 11 + 2]
        exact, exact_sims = cosine_top(matrix, query, allowed, 20)
        top, sims = index.top(query, allowed, 20)
        assert allowed[top].all()
        assert np.all(np.diff(sims) <= 1e-6)  # best first
        np.testing.assert_allclose(sims, matrix[top] @ query, rtol=1e-5)  # exact cosines
        recall.append(len(set(top.tolist()) & set(exact.tolist())) / 20)
    assert np.mean(recall) >= 0.95


def test_small_indexes_stay_exact():
    matrix = _clustered(500)
    index = VectorIndex(matrix, np.ones(500, bool))
    assert not index.coarse
    top, _ = index.top(matrix[3], None, 5)
    assert top[0] == 3


def test_query_vectors_are_memoised():
    calls = []

    class Counting(HashingEmbedder):
        name = "counting-test"

        def embed_query(self, text):
            calls.append(text)
            return super().embed_query(text)

    embedder = Counting()
    first = semantic.embed_query_cached(embedder, "unga i Värmland")
    again = semantic.embed_query_cached(embedder, "unga i Värmland")
    assert calls == ["unga i Värmland"]
    np.testing.assert_array_equal(first, again)
    assert not again.flags.writeable


def test_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(snapshot, "MEMO_MAX_ENTRIES", 3)
    snap = snapshot.Snapshot(
        "v",
        np.arange(3, dtype=np.int64),
        np.ones(3, bool),
        np.zeros(3, np.int64),
        np.zeros(3, np.int64),
        FacetTable(np.arange(3, dtype=np.int64), {}),
    )
    computed = []
    for key in [1, 2, 3, 1, 4, 5, 1]:
        snap.memo(("k", key), lambda key=key: computed.append(key) or key, lambda _v: 1)
    assert computed == [1, 2, 3, 4, 5]  # 1 stayed (recently used), then was kept again
    assert len(snap._memo) == 3
