"""Acceptance on the seeds: seed 000 (news) is linked to 23-001-S01 with its evidence."""

from __future__ import annotations

from sqlalchemy import select

from projektatlas.ingest import ingest
from projektatlas.link.run import link_all
from projektatlas.link.service import links_json
from projektatlas.store.db import session_scope
from projektatlas.store.schema import Link
from tests.conftest import SEEDS, seed_path


def _seed_links(engine) -> dict:
    ingest(engine, [str(SEEDS)])
    with session_scope(engine) as session:
        return {
            prefix: links_json(session, f"doc:{seed_path(prefix)}")
            for prefix in ("000", "002", "004")
        }


def test_seed_000_is_linked_to_23_001_s01_with_the_agreeing_facts(engine):
    links = _seed_links(engine)["000"]["links"]
    about = [x for x in links if x["relation"] == "about"]
    linked = [x for x in about if x["status"] == "linked"]
    assert [x["diarienummer"] for x in linked] == ["23-001-S01"]
    assert linked[0]["type"] == "project" and linked[0]["path_or_url"] is None
    evidence = {e["feature"]: e for e in linked[0]["evidence"]}
    assert evidence["esf_region"]["project"] == "Norra Mellansverige"
    assert "Dalarna" in evidence["esf_region"]["document"]
    assert evidence["start_day_month"]["project"] == "2023-09-01"
    assert "36" in evidence["duration"]["document"]
    assert evidence["count"]["project"] == "12 samordningsförbund"
    assert "40" in evidence["cofinancing"]["document"]
    assert "60" in evidence["cofinancing"]["project"]
    assert all(e["weight"] > 0 for e in linked[0]["evidence"])


def test_seed_000_is_not_linked_to_2020_00701(engine):
    links = _seed_links(engine)["000"]["links"]
    assert "2020/00701" not in {x.get("diarienummer") for x in links}


def test_seeds_002_and_004_are_linked_to_no_project(engine):
    data = _seed_links(engine)
    for prefix in ("002", "004"):
        about = [x for x in data[prefix]["links"] if x["relation"] == "about"]
        assert all(x["status"] == "candidate" and x["score"] < 6 for x in about), about


def test_project_view_lists_the_news_item_with_its_path(engine):
    _seed_links(engine)
    with session_scope(engine) as session:
        data = links_json(session, "23-001-S01")
    docs = [x for x in data["links"] if x["type"] == "document" and x["relation"] == "about"]
    assert [d["path_or_url"] for d in docs] == [str(seed_path("000"))]
    owner = [x for x in data["links"] if x["relation"] == "owner"]
    assert owner[0]["type"] == "organisation" and owner[0]["org_number"] == "212000-1850"


def test_relinking_is_idempotent(engine):
    _seed_links(engine)
    assert link_all(engine) == 0
    with session_scope(engine) as session:
        before = session.scalars(select(Link.id)).all()
    ingest(engine, [str(SEEDS)])
    with session_scope(engine) as session:
        assert session.scalars(select(Link.id)).all() == before
