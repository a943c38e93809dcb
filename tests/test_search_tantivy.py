"""The tantivy lexical index gives the answers of the FTS5 one, and survives what a store does.

Two stores hold the same generated entries, one per backend. Totals, facet counts (including
the "whole index minus the rest" path taken when more than half matches) and pages ordered by
date or budget (ties by entry id) must be identical; relevance pages hold the same entries
when every match fits on the page. Then: a sync stopped between SQLite and tantivy, a deleted
index folder, a change of backend and a busy writer.
"""

from __future__ import annotations

import dataclasses
import shutil
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from projektatlas.ingest import ingest
from projektatlas.search import lexical_tantivy, service, snapshot
from projektatlas.search.facets import FACETS
from projektatlas.search.indexer import bulk_writer, sync_index, write_batch
from projektatlas.search.lexical_tantivy import Estimate
from projektatlas.search.query import parse_query
from projektatlas.search.semantic import HashingEmbedder
from projektatlas.search.tables import get_meta, set_meta
from projektatlas.store.db import make_engine, open_store
from tests.test_search_corpus import write_corpus
from tests.test_search_scale import FILTERS, QUERIES, _entries

pytest.importorskip("tantivy")

MORE_QUERIES = [*QUERIES, "", "kommunen", "insatser OR projektet", "-unga"]


def _build(path, backend: str, monkeypatch, entries) -> object:
    monkeypatch.setenv(lexical_tantivy.ENV_LEXICAL, backend)
    engine = make_engine(f"sqlite:///{path}")
    embedder = HashingEmbedder()
    vectors = embedder.embed_passages([e.passage for e in entries])
    with bulk_writer(engine) as tw:
        for i in range(0, len(entries), 50):
            write_batch(engine, entries[i : i + 50], tw, embedder, vectors[i : i + 50])
    with engine.begin() as conn:
        set_meta(conn, "embedder", embedder.name)
        assert get_meta(conn, "lexical") == backend
    return engine


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.delenv("PROJEKTATLAS_SEMANTIC", raising=False)
    folder = tmp_path_factory.mktemp("pair")
    entries = _entries(n=400, seed=11)
    fts5 = _build(folder / "fts5.db", "fts5", mp, entries)
    tantivy = _build(folder / "tantivy.db", "tantivy", mp, entries)
    mp.undo()
    snapshot.clear_cache()
    yield fts5, tantivy
    fts5.dispose()
    tantivy.dispose()


def _search(engine, q, **kwargs):
    with Session(engine) as session:
        return service.search(session, q, **kwargs)


def _ids(result) -> list[tuple[str, int]]:
    return [(h["type"], h["id"]) for h in result["hits"]]


@pytest.mark.parametrize("semantic", [False, True])
def test_totals_and_facet_counts_equal_fts5(pair, semantic):
    fts5, tantivy = pair
    big = 0
    for q in MORE_QUERIES:
        for filters in FILTERS:
            a = _search(fts5, q, filters=filters, semantic=semantic)
            b = _search(tantivy, q, filters=filters, semantic=semantic)
            assert b["total"] == a["total"], (q, filters)
            assert b["facets"] == a["facets"], (q, filters)
            big += a["total"] * 2 > 400
    assert big >= 4  # the complement path was taken


@pytest.mark.parametrize("sort", ["newest", "oldest", "budget"])
def test_sorted_pages_equal_fts5_ties_included(pair, sort):
    fts5, tantivy = pair
    for q in ("", "förbund", "kommun -Varmland", "unga arbetar"):
        for filters in FILTERS:
            for offset, limit in ((0, 10), (7, 6), (40, 30), (390, 20)):
                a = _search(fts5, q, filters=filters, sort=sort, offset=offset, limit=limit)
                b = _search(tantivy, q, filters=filters, sort=sort, offset=offset, limit=limit)
                assert _ids(b) == _ids(a), (q, filters, offset)
                reasons = [h["reason"] for h in b["hits"]]
                assert reasons == [h["reason"] for h in a["hits"]]


def test_relevance_pages_hold_the_same_entries(pair):
    fts5, tantivy = pair
    compared = 0
    for q in MORE_QUERIES:
        for filters in FILTERS:
            a = _search(fts5, q, filters=filters, limit=500, semantic=False)
            if q and 0 < a["total"] <= 500:
                b = _search(tantivy, q, filters=filters, limit=500, semantic=False)
                assert sorted(_ids(b)) == sorted(_ids(a)), (q, filters)
                reasons = {(h["type"], h["id"]): h["reason"] for h in a["hits"]}
                assert {(h["type"], h["id"]): h["reason"] for h in b["hits"]} == reasons
                compared += 1
    assert compared > 20


def test_the_whole_minus_the_rest_equals_direct_counts(pair):
    _fts5, tantivy = pair
    with tantivy.connect() as conn:
        searcher = lexical_tantivy.index_for(conn).searcher("test-complement")
    for q in ("förbund", "kommunen", "förbund OR nyanlända", "insatser OR projektet"):
        query = searcher.lexical(parse_query(q))
        size = searcher.count(query)
        assert size * 2 > searcher.size, q
        facets = ["kind", "esf_region", "target_group"]
        direct = searcher._aggregate(query, facets)
        assert direct[0] == size, q
        via_rest = searcher.counts(query, facets)  # no estimate: counted, then the rest
        assert via_rest == direct, q
        est = searcher.estimate(parse_query(q))
        assert est.lo <= size <= est.hi, q
        sure = Estimate(size, size, size)
        assert searcher.counts(query, facets, sure) == direct, q  # the rest, not counted
        wrong = Estimate(0, 0, size // 2)
        assert searcher.counts(query, facets, wrong) == direct, q  # a wrong guess: direct


def test_facet_groups_hold_every_facet_once():
    grouped = [f for group in lexical_tantivy.FACET_GROUPS for f in group]
    assert sorted(grouped) == sorted(FACETS)


def test_grouped_facet_counts_equal_one_aggregation_per_facet(tmp_path, monkeypatch):
    entries = _entries(n=150, seed=5)
    odd = ['a"b', "x,]y", "tab\tand\x1f", "å ä ö", "[]", "\\"]
    for i, entry in enumerate(entries[:60]):
        entry.facets.append(("target_group", odd[i % len(odd)], "udda"))
        entry.facets += [("lan", str(i % 7), "län"), ("lan", str(i % 5), "län")]  # places
    engine = _build(tmp_path / "groups.db", "tantivy", monkeypatch, entries)
    with engine.connect() as conn:
        searcher = lexical_tantivy.index_for(conn).searcher("groups")
    seen = 0
    for q in ("", "förbund", "kommunen", "unga OR nyanlända", "-unga"):
        query = searcher.matcher(parse_query(q)) or searcher.tv.Query.all_query()
        size = searcher.count(query)
        each = searcher._aggregate_each(query, FACETS)
        assert searcher._aggregate(query, FACETS) == (size, each), q
        assert searcher._aggregate(query, ["lan"]) == (size, {"lan": each["lan"]}), q
        seen += sum(each["target_group"].get(v, 0) for v in odd)
        with monkeypatch.context() as m:
            m.setattr(lexical_tantivy, "MAX_BUCKETS", 2)  # too many values: one facet at a time
            assert searcher._aggregate(query, FACETS) == (size, each), q
    assert seen > 0
    engine.dispose()


def test_deleted_documents_do_not_count_in_estimates(tmp_path, monkeypatch):
    entries = _entries(n=60, seed=3)
    for entry in entries[:5]:
        entry.body += " zebrafink"
    engine = _build(tmp_path / "deleted.db", "tantivy", monkeypatch, entries)
    changed = [dataclasses.replace(e, body=e.body.replace(" zebrafink", "")) for e in entries[:5]]
    with bulk_writer(engine) as tw:
        write_batch(engine, changed, tw)  # replaced: the old documents are deleted, not gone
    snapshot.clear_cache()
    with engine.connect() as conn:
        searcher = lexical_tantivy.index_for(conn).searcher("after-replace")
    assert searcher.deleted == 5
    assert searcher.searcher.doc_freq("all", "zebrafink") == 5  # still in the frequencies
    query = parse_query("zebrafink")
    assert searcher.estimate(query).lo == 0
    assert searcher.count(searcher.matcher(query)) == 0
    # all words match nothing now: the search falls back to any word ("matchade delvis")
    result = _search(engine, "zebrafink kommunen", semantic=False)
    assert result["total"] == _search(engine, "kommunen", semantic=False)["total"] > 0
    assert all(any("delvis" in r for r in h["reason"]) for h in result["hits"])
    assert _search(engine, "zebrafink kommunen", semantic=False) == result  # memoised: same
    engine.dispose()


def test_hits_by_relevance_are_ranked_by_field_weight(pair):
    _fts5, tantivy = pair
    result = _search(tantivy, "Dalarna", semantic=False, limit=500)
    assert result["total"] > 0
    scores = [h["score"] for h in result["hits"]]
    assert scores == sorted(scores, reverse=True)
    # an entry whose name has the word ranks above one that has it only in the body
    in_name = [i for i, h in enumerate(result["hits"]) if "dalarna" in h["title"].lower()]
    not_in_name = [i for i, h in enumerate(result["hits"]) if "dalarna" not in h["title"].lower()]
    assert in_name and not_in_name and min(in_name) < min(not_in_name)


# --------------------------------------------------------------------------- the store's life


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("PROJEKTATLAS_EMBEDDER", "hashing")
    monkeypatch.delenv("PROJEKTATLAS_SEMANTIC", raising=False)
    monkeypatch.delenv(lexical_tantivy.ENV_LEXICAL, raising=False)
    engine = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    summary = ingest(engine, [str(write_corpus(tmp_path / "corpus"))])
    assert summary.ok
    with engine.connect() as conn:
        assert get_meta(conn, "lexical") == "tantivy"
    yield engine
    engine.dispose()


def _answers(engine) -> list:
    out = []
    for q in ("förbund", "Varmland", "unga", "kompetenshöjning", ""):
        r = _search(engine, q, semantic=False, limit=50)
        out.append((q, r["total"], sorted(_ids(r)), r["facets"]))
    return out


def _pending(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM search_pending")).scalar()


def test_a_sync_stopped_between_sqlite_and_tantivy_is_repaired(store, monkeypatch):
    expected = _answers(store)
    with store.begin() as conn:  # every entry must be indexed again
        conn.execute(text("UPDATE search_entries SET signature = 'old'"))

    def crash(self):
        raise KeyboardInterrupt("killed before tantivy committed")

    monkeypatch.setattr(lexical_tantivy.WriterSession, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        sync_index(store)
    monkeypatch.undo()
    monkeypatch.setenv("PROJEKTATLAS_EMBEDDER", "hashing")
    assert _pending(store) > 0  # the store has rows tantivy never got
    assert sync_index(store) > 0
    assert _pending(store) == 0
    snapshot.clear_cache()
    assert _answers(store) == expected
    assert sync_index(store) == 0  # and nothing is left to do


def test_a_deleted_index_folder_is_rebuilt_by_the_next_sync(store, tmp_path):
    expected = _answers(store)
    shutil.rmtree(tmp_path / "store.db.search")
    lexical_tantivy.forget_open()
    assert sync_index(store) == len(expected[-1][2])  # every entry again
    snapshot.clear_cache()
    assert _answers(store) == expected


def test_an_index_of_an_older_layout_is_rebuilt_by_the_next_sync(store, tmp_path):
    expected = _answers(store)
    folder = tmp_path / "store.db.search"
    (folder / "projektatlas-schema").write_text("2")  # written by an older version
    lexical_tantivy.forget_open()
    with store.connect() as conn:
        assert lexical_tantivy.index_for(conn).doc_count() == 0  # wiped when opened
    assert (folder / "projektatlas-schema").read_text() == lexical_tantivy.SCHEMA_VERSION
    assert sync_index(store) == len(expected[-1][2])  # every entry again
    snapshot.clear_cache()
    assert _answers(store) == expected


def test_an_entry_missing_from_tantivy_is_found_again(store):
    expected = _answers(store)
    with store.connect() as conn:
        index = lexical_tantivy.index_for(conn)
        some = sorted(index.ids())[:3]
    with index.writer() as tw:  # lose three documents behind the store's back
        tw.delete(some)
        tw.commit()
    assert sync_index(store) == 3
    snapshot.clear_cache()
    assert _answers(store) == expected


def test_changing_the_backend_rebuilds_the_index(store, monkeypatch):
    expected = _answers(store)
    monkeypatch.setenv(lexical_tantivy.ENV_LEXICAL, "fts5")
    assert sync_index(store) == len(expected[-1][2])
    with store.connect() as conn:
        assert get_meta(conn, "lexical") == "fts5"
        assert conn.execute(text("SELECT count(*) FROM search_fts")).scalar() > 0
    snapshot.clear_cache()
    assert _answers(store) == expected
    monkeypatch.setenv(lexical_tantivy.ENV_LEXICAL, "tantivy")
    assert sync_index(store) == len(expected[-1][2])
    with store.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM search_fts")).scalar() == 0
    snapshot.clear_cache()
    assert _answers(store) == expected


def test_an_unknown_backend_setting_is_a_clear_error(store, monkeypatch):
    monkeypatch.setenv(lexical_tantivy.ENV_LEXICAL, "lucene")
    with pytest.raises(ValueError, match="auto, tantivy or fts5"):
        sync_index(store)


def test_a_sync_waits_for_the_writer_another_holds(store, tmp_path):
    (tmp_path / "corpus" / "extra.txt").write_text(
        "Ny satsning i Eksjö\n\nSamordningsförbundet i Eksjö startar ett projekt för unga.\n",
        encoding="utf-8",
    )
    with store.connect() as conn:
        index = lexical_tantivy.index_for(conn)
    released = threading.Event()
    done: list = []

    def other_sync():
        done.append(ingest(store, [str(tmp_path / "corpus" / "extra.txt")]).post["indexed"])

    with index.writer():
        worker = threading.Thread(target=other_sync)
        worker.start()
        time.sleep(1.0)
        assert not done  # still waiting for the writer
        released.set()
    worker.join(timeout=60)
    assert done == [1]
    snapshot.clear_cache()
    assert _search(store, "Eksjö", semantic=False)["total"] == 1


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "förbund",
                    "Varmland",
                    "unga",
                    "kompet*",
                    "OR",
                    "NOT",
                    "-",
                    '"',
                    "(",
                    ")",
                    "*",
                    "AND",
                    "ä*",
                    "a-b",
                    "x:y",
                    "1,4",
                    "\\",
                    "[",
                    "{",
                    "^$",
                ]
            ),
            st.text(min_size=1, max_size=12),
        ),
        max_size=8,
    ).map(" ".join)
)
def test_any_query_is_answered_by_both_backends_alike(pair, q):
    fts5, tantivy = pair
    a = _search(fts5, q, semantic=False, limit=5)
    b = _search(tantivy, q, semantic=False, limit=5)
    assert (b["total"], b["facets"]) == (a["total"], a["facets"]), q
    assert len(b["hits"]) == min(5, b["total"])
    # the cheap match-set query and the weighted ranking query match the same entries
    with tantivy.connect() as conn:
        searcher = lexical_tantivy.index_for(conn).searcher("property")
    query = parse_query(q)
    if not query.is_empty:
        ranked = searcher.top(searcher.lexical(query), 500)
        size = searcher.count(searcher.matcher(query))
        assert size == len(ranked), q
        est = searcher.estimate(query)  # what chooses how facets are counted
        assert est.lo <= size <= est.hi, (q, est, size)
        assert est.guess is None or est.lo <= est.guess <= est.hi, (q, est)
        assert searcher.matching(searcher.matcher(query), [i for i, _s in ranked]) == {
            i for i, _s in ranked
        }


def test_a_rebuild_deletes_the_old_segment_files(store, tmp_path):
    from projektatlas.search.indexer import rebuild_index

    folder = tmp_path / "store.db.search"
    _search(store, "förbund", semantic=False)  # this process holds a searcher of the old files
    before = {p.name for p in folder.iterdir() if p.suffix not in (".json", ".lock", "")}
    assert before
    expected = _answers(store)
    rebuild_index(store)
    after = {p.name for p in folder.iterdir()}
    assert not before & after
    snapshot.clear_cache()
    assert _answers(store) == expected
