"""Batched store writes: a batch ends exactly as its documents stored one by one would, and
one bad document costs only itself."""

from __future__ import annotations

import dataclasses
import shutil
import sys

import pytest
from sqlalchemy import func, select

from projektatlas import ingest as ingest_module
from projektatlas.ingest import (
    IngestError,
    IngestSummary,
    _Batch,
    _safe_prepare,
    ingest,
    store_all,
    store_prepared,
)
from projektatlas.service import find_project, project_json
from projektatlas.sources.readers import SourceFailure, discover, iter_sources
from projektatlas.store import personal
from projektatlas.store.db import session_scope
from projektatlas.store.schema import Base, Document, Fact, Person, Project
from projektatlas.store.snapshot import snapshot
from tests.conftest import ROOT, SEEDS

if not SEEDS.is_dir():
    pytest.skip(f"seeds not found at {SEEDS}", allow_module_level=True)

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/generate.py)

KENNY = "kenny.sjoberg@yahoo.com"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> list:
    """(source, prepared) pairs of a small generated corpus plus the seeds, with a duplicate
    (same content, other path) and a second version of one record (same project, other
    path), so that batches have to be split."""
    folder = tmp_path_factory.mktemp("batch")
    generate.write_corpus(folder / "gen", 45, 15, seed=5)
    shutil.copytree(SEEDS, folder / "seeds")
    first = next(SEEDS.glob("001_*"))
    shutil.copy(first, folder / "seeds" / "zz_duplicate.txt")
    text = first.read_text(encoding="utf-8").replace("1260", "1300")
    (folder / "seeds" / "zz_second_version.txt").write_text(text, encoding="utf-8")
    return [
        (item, None if isinstance(item, SourceFailure) else _safe_prepare(item))
        for item in iter_sources(list(discover([str(folder)], None)))
    ]


def _clear(engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def _one_by_one(engine, pairs) -> IngestSummary:
    """The reference: every document in its own transaction (the pre-batching path)."""
    summary = IngestSummary()
    for source, prep in pairs:
        if isinstance(source, SourceFailure) or isinstance(prep, IngestError):
            continue
        ingest_module._count(summary, store_prepared(engine, source, prep))
    return summary


def _counts(summary: IngestSummary) -> tuple:
    return (
        summary.new,
        summary.unchanged,
        summary.updated,
        summary.projects_created,
        summary.projects_updated,
        dict(summary.kinds),
    )


@pytest.mark.parametrize("batch_size", [50, 7])
def test_batched_store_equals_one_by_one(engine, prepared, batch_size, monkeypatch):
    reference = _one_by_one(engine, prepared)
    expected = snapshot(engine)
    assert expected["documents"] and expected["projects"] and expected["persons"]
    _clear(engine)

    monkeypatch.setattr(ingest_module, "BATCH_SIZE", batch_size)
    batched = IngestSummary()
    store_all(engine, batched, prepared)
    assert snapshot(engine) == expected
    assert _counts(batched) == _counts(reference)
    assert batched.unchanged == 1  # the duplicate
    assert reference.projects_updated >= 1  # the second version joined its project

    again = IngestSummary()
    store_all(engine, again, prepared)  # everything is known now
    assert (again.new, again.updated, again.unchanged) == (0, 0, batched.new + 1)
    assert again.projects_created == again.projects_updated == 0
    assert snapshot(engine) == expected


def test_one_bad_document_costs_only_itself(engine, prepared):
    pairs = [(s, p) for s, p in prepared if not isinstance(p, IngestError | type(None))][:20]
    bad_source, bad = pairs[5]
    # A value the JSON column cannot hold: the batch fails, is stored again one by one,
    # and only this document is reported.
    broken = dataclasses.replace(bad.facts[0], value=object()) if bad.facts else None
    assert broken is not None
    pairs[5] = (bad_source, dataclasses.replace(bad, facts=[broken, *bad.facts[1:]]))
    summary = IngestSummary()
    store_all(engine, summary, pairs)
    assert [f.path_or_url for f in summary.failed] == [bad_source.path_or_url]
    assert "cannot store" in summary.failed[0].reason
    assert summary.new == 19
    with session_scope(engine) as s:
        hashes = set(s.scalars(select(Document.content_hash)))
        assert hashes == {src.content_hash for src, _ in pairs} - {bad_source.content_hash}
        assert s.scalar(select(func.count(Fact.id))) > 0


def test_a_batch_never_holds_the_same_hash_path_or_project_twice(prepared):
    docs = [(s, p) for s, p in prepared if p is not None and not isinstance(p, IngestError)]
    record = next((s, p) for s, p in docs if p.record is not None)
    other = next((s, p) for s, p in docs if p.record is None)
    batch = _Batch()
    batch.add(*record)
    assert batch.accepts(*other)
    src, prep = record
    assert not batch.accepts(dataclasses.replace(src, path_or_url="elsewhere.txt"), prep)
    assert not batch.accepts(dataclasses.replace(src, content_hash="0" * 64), None)
    same_project = dataclasses.replace(src, path_or_url="x.txt", content_hash="1" * 64)
    assert not batch.accepts(same_project, prep)
    assert batch.accepts(same_project, dataclasses.replace(prep, record=None))


def test_new_changed_and_unchanged_files_in_one_run(engine, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    assert ingest(engine, [str(folder)], workers=1).ok
    record = next(folder.glob("001_*"))
    record.write_text(record.read_text(encoding="utf-8").replace("1260", "1300"), encoding="utf-8")
    news = next(folder.glob("002_*"))
    (folder / "new.txt").write_text(
        news.read_text(encoding="utf-8") + "\nEtt nytt stycke om projektet.", encoding="utf-8"
    )
    summary = ingest(engine, [str(folder)], workers=1)
    assert (summary.new, summary.updated, summary.unchanged) == (1, 1, 4)
    assert (summary.projects_created, summary.projects_updated) == (0, 1)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count(Document.id))) == 6
        assert project_json(s, find_project(s, "23-001-S01"))["participants_planned"] == 1300


def test_a_forgotten_person_stays_erased_in_a_new_batched_document(engine, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    ingest(engine, [str(folder)], workers=1)
    with session_scope(engine) as s:
        personal.forget(s, KENNY)
    seed = next(folder.glob("003_*"))
    (folder / "003_again.txt").write_text(
        seed.read_text(encoding="utf-8") + "\nUppdaterad.\n", encoding="utf-8"
    )
    summary = ingest(engine, [str(folder)], workers=1)
    assert (summary.new, summary.projects_updated) == (1, 1)
    with session_scope(engine) as s:
        texts = s.scalars(select(Document.text)).all()
        assert texts and not any(KENNY in t for t in texts)
        assert s.scalar(select(func.count(Person.id)).where(Person.email == KENNY)) == 0
        project = s.scalar(select(Project).where(Project.diarienummer == "2020/00701"))
        assert project.total_budget_sek == 399819


def test_resume_after_a_lost_batch_ends_equal(engine, prepared, monkeypatch):
    """A batch that never committed (a crash) is simply stored again by the next run."""
    reference = IngestSummary()
    store_all(engine, reference, prepared)
    expected = snapshot(engine)
    _clear(engine)
    # The first run stores the first 23 documents only (as if killed after that).
    store_all(engine, IngestSummary(), prepared[:23])
    resumed = IngestSummary()
    store_all(engine, resumed, prepared)
    assert snapshot(engine) == expected
    assert resumed.unchanged == 23 + 1  # the stored ones and the duplicate


def test_known_hashes_are_looked_up_once_per_chunk(engine, prepared, monkeypatch):
    sources = [s for s, _ in prepared]
    store_all(engine, IngestSummary(), prepared[:10])
    known = ingest_module._KnownHashes(engine)
    calls: list[int] = []
    among = known.among
    monkeypatch.setattr(known, "among", lambda hashes: calls.append(len(hashes)) or among(hashes))
    flags = [flag for _, flag in ingest_module._with_known(sources, known, chunk=16)]
    assert len(calls) == -(-len(sources) // 16)
    with session_scope(engine) as s:
        stored = set(s.scalars(select(Document.content_hash)))
    assert len(stored) == 10
    assert flags == [
        isinstance(src, SourceFailure) or src.content_hash in stored for src in sources
    ]
