"""Project ↔ project: same project in two sources, förstudie → genomförande, successors."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from projektatlas.ingest import ingest
from projektatlas.link.profiles import ProjectProfile
from projektatlas.link.projects import project_links
from projektatlas.store.db import session_scope
from projektatlas.store.schema import Link, Project
from tests.test_link_helpers import record_2007, record_2021, write


def _links(engine) -> list[tuple[str, str, str, str, str]]:
    with session_scope(engine) as session:
        names = {p.id: p.identity for p in session.scalars(select(Project))}
        return sorted(
            (names[r.a_id], names[r.b_id], r.relation, r.status, str(r.score))
            for r in session.scalars(select(Link).where(Link.a_type == "project"))
        )


def test_reload_forstudie_2009_and_genomforande_2010_are_two_related_projects(engine, tmp_path):
    write(
        tmp_path,
        "reload_fs.txt",
        record_2007("Reload", "Reload AB", "2009-02-01 till 2009-10-31", phase="Förstudie"),
    )
    write(
        tmp_path,
        "reload_gf.txt",
        record_2007("Reload", "Reload AB", "2010-03-01 till 2012-06-30", support="4 100 000 kr"),
    )
    ingest(engine, [str(tmp_path)])
    with session_scope(engine) as session:
        assert len(session.scalars(select(Project.id)).all()) == 2
    links = _links(engine)
    assert [(a[:25], b[:25], rel, st) for a, b, rel, st, _ in links] == [
        (
            "2007-2013:reload:reload-a",
            "2007-2013:reload:reload-a",
            "forstudie_genomforande",
            "linked",
        )
    ]
    assert links[0][0].endswith("2009-02-01") and links[0][1].endswith("2010-03-01")


def test_same_project_in_two_sources_with_small_differences_is_same_as(engine, tmp_path):
    write(
        tmp_path,
        "one.txt",
        record_2007("Bron till arbete", "Tyresö kommun", "2011-04-01 till 2013-03-31"),
    )
    write(
        tmp_path,
        "two.txt",
        record_2007("BRON TILL ARBETE", "TYRESÖ KOMMUN", "till 2013-03-31", region="Stockholm"),
    )
    write(
        tmp_path,
        "three.txt",
        record_2007("Bron till arbetet", "Tyresö kommun", "2011-04-01 till 2013-03-31"),
    )
    ingest(engine, [str(tmp_path)])
    links = _links(engine)
    same = [x for x in links if x[2] == "same_as"]
    assert len(same) == 3, links
    assert all(x[3] == "linked" for x in same)


def test_different_diarienummer_are_never_merged(engine, tmp_path):
    for dnr in ("24-110-S01", "24-110-S02"):
        write(
            tmp_path,
            f"{dnr}.txt",
            record_2021(dnr, "Vägen vidare", "Alingsås kommun", "212000-1512"),
        )
    ingest(engine, [str(tmp_path)])
    with session_scope(engine) as session:
        assert len(session.scalars(select(Project.id)).all()) == 2
    assert [x for x in _links(engine) if x[2] == "same_as"] == []


def test_successor_2_0_of_the_same_owner(engine, tmp_path):
    write(
        tmp_path,
        "a.txt",
        record_2021("23-120-S01", "Kraftsamla", "Ale kommun", start="2023-01-01", end="2023-12-31"),
    )
    write(
        tmp_path,
        "b.txt",
        record_2021("24-120-S02", "Kraftsamla 2.0", "Ale kommun", start="2024-03-01"),
    )
    write(
        tmp_path,
        "c.txt",
        record_2021("24-120-S03", "Kraftsamla 2.0", "Lerums kommun", start="2024-03-01"),
    )
    ingest(engine, [str(tmp_path)])
    assert [x[:4] for x in _links(engine)] == [("23-120-S01", "24-120-S02", "successor", "linked")]


def _p(pid: int, name: str, start: date | None, phase: str | None = None, **kw) -> ProjectProfile:
    return ProjectProfile(
        id=pid, name=name, owner_id=1, owner_name="X", start=start, phase=phase, **kw
    )


def test_same_name_different_start_and_phase_is_not_same_as():
    a = _p(1, "Framåt", date(2009, 1, 1), "Genomförande", end=date(2011, 1, 1))
    b = _p(2, "Framåt", date(2012, 1, 1), "Genomförande", end=date(2013, 1, 1))
    assert project_links([a, b]) == []


def test_fuzzy_names_with_different_numbers_are_not_the_same_project():
    a = _p(1, "Steg 1 mot arbete", date(2009, 1, 1))
    b = _p(2, "Steg 2 mot arbete", date(2009, 1, 1))
    assert project_links([a, b]) == []
