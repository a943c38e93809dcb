"""The ingest pipeline end to end, on SQLite and on the local PostgreSQL server."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from projektatlas.ingest import ingest
from projektatlas.service import find_project, project_json, stats
from projektatlas.store.db import session_scope
from projektatlas.store.schema import Document, Fact, Organisation, Person, Project
from tests.conftest import SEEDS

if not SEEDS.is_dir():
    pytest.skip(f"seeds not found at {SEEDS}", allow_module_level=True)


def count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(model))


def show(engine, ident: str) -> dict:
    with session_scope(engine) as s:
        return project_json(s, find_project(s, ident))


def test_seeds_give_exactly_two_projects_with_the_recorded_values(engine):
    summary = ingest(engine, [str(SEEDS)])
    assert summary.ok, summary.failed
    assert (summary.new, summary.projects_created) == (5, 2)
    assert count(engine, Project) == 2

    p = show(engine, "23-001-S01")
    assert p["owner"]["org_number"] == "212000-1850"
    assert p["owner"]["name"] == "Karlstads kommun"
    assert p["owner_name_as_written"] == "KARLSTADS KOMMUN"
    assert (p["region"], p["nuts2"]) == ("Norra Mellansverige", "SE31")
    assert (p["start_date"], p["end_date"]) == ("2023-09-01", "2026-08-31")
    assert p["union_cofinancing_rate"] == 0.6
    assert p["participants_planned"] == 1260
    assert (p["programme_area"], p["specific_objective"]) == ("A", "A1B")
    assert (p["intervention_type"], p["fund"], p["programme_period"]) == (
        "141",
        "ESF+",
        "2021-2027",
    )
    assert p["sources"][0]["kind"] == "record"
    assert p["provenance"]["start_date"]["text"] == "2023-09-01"

    q = show(engine, "2020/00701")
    assert (q["total_budget_sek"], q["esf_support_sek"]) == (399819, 399819)
    assert q["union_cofinancing_rate"] == 0.5
    assert (q["start_date"], q["end_date"]) == ("2021-02-01", "2021-10-30")
    assert q["participants_planned"] == 140
    assert (q["region"], q["nuts2"]) == ("Östra Mellansverige", "SE12")
    assert (q["programme_area"], q["specific_objective"]) == ("1", "1.1")
    assert q["programme_period"] == "2014-2020"


def test_show_json_has_every_documented_key(engine):
    from projektatlas.service import PROJECT_KEYS

    ingest(engine, [str(SEEDS)])
    for ident in ("23-001-S01", "2020/00701"):
        data = show(engine, ident)
        assert set(PROJECT_KEYS) <= data.keys()
        assert set(data["owner"]) >= {"id", "name", "org_number"}
        assert all(v != "" for v in data.values())


def test_the_other_seeds_are_documents_not_projects(engine):
    ingest(engine, [str(SEEDS)])
    with session_scope(engine) as s:
        kinds = dict(s.execute(select(Document.path_or_url, Document.kind)).all())
    non_records = {p.rsplit("/", 1)[-1][:3]: k for p, k in kinds.items() if k != "record"}
    assert sorted(non_records) == ["000", "002", "004"]
    assert "news" in non_records.values()


def test_ingesting_the_same_folder_twice_changes_nothing(engine):
    ingest(engine, [str(SEEDS)])
    before = (count(engine, Document), count(engine, Project), count(engine, Fact))
    again = ingest(engine, [str(SEEDS)])
    assert (again.new, again.unchanged, again.updated) == (0, 5, 0)
    assert (again.projects_created, again.projects_updated) == (0, 0)
    assert (count(engine, Document), count(engine, Project), count(engine, Fact)) == before


def test_a_changed_file_updates_its_document_and_project(engine, tmp_path):
    record = tmp_path / "rec.txt"
    shutil.copy(next(SEEDS.glob("001_*")), record)
    ingest(engine, [str(record)])
    text = record.read_text(encoding="utf-8").replace("1260", "1300")
    record.write_text(text, encoding="utf-8")
    summary = ingest(engine, [str(record)])
    assert (summary.updated, summary.projects_updated) == (1, 1)
    assert count(engine, Document) == 1
    assert show(engine, "23-001-S01")["participants_planned"] == 1300


def test_bad_files_are_reported_and_the_good_ones_ingested(engine, tmp_path):
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    shutil.copy(next(SEEDS.glob("001_*")), tmp_path / "good.txt")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\x00" + bytes(range(256)))
    (tmp_path / "empty.txt").write_bytes(b"")
    latin1 = "Nyhet\n\nSamordningsförbundet i Gävleborg startar ett projekt för unga i Sandviken."
    (tmp_path / "latin1.txt").write_bytes(latin1.encode("latin-1"))
    (tmp_path / "truncated.txt").write_text(
        "24-118-S03 - Vägen\n\nDiarienummer:\n24-1", encoding="utf-8"
    )
    summary = ingest(engine, [str(tmp_path)])
    failed = {f.path_or_url.rsplit("/", 1)[-1]: f.reason for f in summary.failed}
    assert sorted(failed) == ["empty.txt", "image.png", "truncated.txt"]
    assert all(reason for reason in failed.values())
    assert summary.new == 2 and not summary.ok
    with session_scope(engine) as s:
        text = s.scalar(select(Document.text).where(Document.path_or_url.like("%latin1.txt")))
        assert "Samordningsförbundet i Gävleborg" in text
        # nothing half-written: only the good record became a project
        assert s.scalar(select(func.count(Project.id))) == 1
        assert stats(s)["ingest_failures"] == 3


def test_contact_person_is_stored_apart_as_personal_data(engine):
    ingest(engine, [str(SEEDS)])
    with session_scope(engine) as s:
        person = s.scalar(select(Person))
        assert person.email == "kenny.sjoberg@yahoo.com"
        project = s.get(Project, person.project_id)
        assert project.diarienummer == "2020/00701"
    data = show(engine, "2020/00701")
    assert "kenny" not in repr({k: v for k, v in data.items() if k != "description"}).lower()


def test_owner_spellings_resolve_to_one_organisation(engine, tmp_path):
    tmp_path = tmp_path / "in"
    tmp_path.mkdir()
    seed = next(SEEDS.glob("001_*")).read_text(encoding="utf-8")
    other = seed.replace("23-001-S01", "23-002-S01").replace(
        "KARLSTADS KOMMUN", "Karlstads kommun, Arbetsmarknad och socialförvaltningen, Staben"
    )
    (tmp_path / "a.txt").write_text(seed, encoding="utf-8")
    (tmp_path / "b.txt").write_text(other, encoding="utf-8")
    assert ingest(engine, [str(tmp_path)]).ok
    a, b = show(engine, "23-001-S01"), show(engine, "23-002-S01")
    assert a["owner"]["id"] == b["owner"]["id"]
    with session_scope(engine) as s:
        parents = s.scalars(select(Organisation).where(Organisation.parent_id.is_(None))).all()
        assert [o.name for o in parents] == ["Karlstads kommun"]
        units = s.scalars(select(Organisation).where(Organisation.parent_id.is_not(None))).all()
        assert {u.name for u in units} == {"Arbetsmarknad och socialförvaltningen", "Staben"}
