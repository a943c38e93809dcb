"""Index maintenance: incremental, idempotent, self-repairing sync; rebuild; semantic off/on."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from projektatlas.ingest import ingest
from projektatlas.search.indexer import rebuild_index, sync_index
from projektatlas.search.service import search
from projektatlas.store.db import session_scope
from tests.test_search_corpus import NEWS, RECORDS, write_corpus


@pytest.fixture(autouse=True)
def hashing(monkeypatch):
    monkeypatch.setenv("PROJEKTATLAS_EMBEDDER", "hashing")
    monkeypatch.delenv("PROJEKTATLAS_SEMANTIC", raising=False)


COUNTS = {
    "search_entries": text("SELECT count(*) FROM search_entries"),
    "search_vectors": text("SELECT count(*) FROM search_vectors"),
}


def count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(COUNTS[table]).scalar()


def titles(engine, q: str, **kwargs) -> list[str]:
    with session_scope(engine) as session:
        return [h["title"] for h in search(session, q, limit=100, **kwargs)["hits"]]


def test_sync_is_incremental_and_idempotent(engine, tmp_path):
    folder = write_corpus(tmp_path / "c")
    summary = ingest(engine, [str(folder)])
    assert summary.post["indexed"] == len(RECORDS) + len(NEWS)
    assert count(engine, "search_entries") == len(RECORDS) + len(NEWS)
    assert count(engine, "search_vectors") == len(RECORDS) + len(NEWS)
    assert sync_index(engine) == 0  # nothing changed
    # a changed news item is re-indexed (and only it)
    news = folder / "nyhet_forbund.txt"
    news.write_text(news.read_text(encoding="utf-8") + "\nNästa träff hålls i Eksjö.\n", "utf-8")
    summary = ingest(engine, [str(news)])
    assert summary.updated == 1 and summary.post["indexed"] == 1
    assert "Förbunden i länet bjuder in till konferens" in titles(engine, "Eksjö", semantic=False)


def test_a_crash_between_store_and_index_is_repaired(engine, tmp_path):
    ingest(engine, [str(write_corpus(tmp_path / "c"))])
    with engine.begin() as conn:  # simulate: entries lost or stale, a stray entry left behind
        conn.execute(text("DELETE FROM search_entries WHERE entry_type = 'project'"))
        conn.execute(text("UPDATE search_entries SET signature = 'stale'"))
        conn.execute(
            text(
                "INSERT INTO search_entries (id, entry_type, source_id, signature, title)"
                " VALUES (999999, 'document', 499999, 'x', 'Spökpost')"
            )
        )
    repaired = sync_index(engine)
    assert repaired == len(RECORDS) + len(NEWS) + 1
    assert count(engine, "search_entries") == len(RECORDS) + len(NEWS)
    assert "Kompass för unga" in titles(engine, "kompass", semantic=False)
    assert "Spökpost" not in titles(engine, "")
    assert sync_index(engine) == 0


def test_rebuild_and_removed_sources(engine, tmp_path):
    ingest(engine, [str(write_corpus(tmp_path / "c"))])
    assert rebuild_index(engine) == len(RECORDS) + len(NEWS)
    with engine.begin() as conn:  # a document disappears from the store
        doc = conn.execute(text("SELECT id FROM documents WHERE title LIKE 'Nytt stöd%'")).scalar()
        conn.execute(text("DELETE FROM documents WHERE id = :i"), {"i": doc})
    assert sync_index(engine) == 1
    assert count(engine, "search_entries") == len(RECORDS) + len(NEWS) - 1
    assert titles(engine, "nyanlända kvinnor Gävle", semantic=False) == []


def test_semantic_off_then_filled_by_the_next_sync(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("PROJEKTATLAS_SEMANTIC", "0")
    ingest(engine, [str(write_corpus(tmp_path / "c"))])
    assert count(engine, "search_entries") == len(RECORDS) + len(NEWS)
    assert count(engine, "search_vectors") == 0
    with session_scope(engine) as session:  # search still works, lexically
        hits = search(session, "unga")["hits"]
        assert hits and not any("semantiskt" in r for h in hits for r in h["reason"])
    monkeypatch.setenv("PROJEKTATLAS_SEMANTIC", "1")
    sync_index(engine)
    assert count(engine, "search_vectors") == len(RECORDS) + len(NEWS)


def test_forget_rebuilds_the_index_without_the_person(engine, tmp_path):
    from projektatlas.store.maintenance import after_erasure
    from projektatlas.store.personal import forget

    ingest(engine, [str(write_corpus(tmp_path / "c"))])
    with session_scope(engine) as session:
        forget(session, "Gunnar Axelsson")
    after_erasure(engine)
    assert count(engine, "search_entries") == len(RECORDS) + len(NEWS)
    with engine.connect() as conn:
        dump = " ".join(str(r) for r in conn.execute(text("SELECT * FROM search_entries")))
    assert "axelsson" not in dump.lower()
    assert "Samverkan för hälsa" in titles(engine, "psykisk ohälsa", semantic=False)
