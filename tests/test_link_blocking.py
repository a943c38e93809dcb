"""Candidate blocking of the document linker: bounded blocks, same answers as a plain scan."""

from __future__ import annotations

import gc
import random
from datetime import date

from projektatlas.link import documents
from projektatlas.link.documents import (
    ProjectIndex,
    doc_keys,
    gc_paused,
    link_document,
    link_documents,
    score,
)
from projektatlas.link.profiles import DocumentEvidence, Mention, ProjectProfile

REGIONS = ("Övre Norrland", "Västsverige", "Sydsverige", None)


def _project(pid: int, owner: int, name: str = "Vägen vidare", **kw) -> ProjectProfile:
    return ProjectProfile(
        id=pid,
        name=name,
        owner_id=owner,
        owner_name=f"Ägare {owner}",
        owner_keys=frozenset({f"ägare {owner}"}),
        **kw,
    )


def _doc(
    doc_id: int, name: str = "Vägen vidare", owner: int | None = None, **kw
) -> DocumentEvidence:
    orgs = [Mention(f"Ägare {owner}", f"Ägare {owner}", {})] if owner is not None else []
    return DocumentEvidence(
        doc_id, names=[Mention(name, name, {"kind": "name"})], organisations=orgs, **kw
    )


def test_a_shared_name_is_narrowed_to_the_owner_the_document_names():
    projects = [_project(i, owner=i % 7) for i in range(1, 29)]  # one name, seven owners
    index = ProjectIndex(projects)
    assert index.candidates(_doc(1, owner=3)) == {p.id for p in projects if p.owner_id == 3}
    # No owner named, or an owner without a project of that name: the whole (small) block.
    assert index.candidates(_doc(2)) == {p.id for p in projects}
    assert index.candidates(_doc(3, owner=99)) == {p.id for p in projects}


def test_a_rare_name_keeps_every_owner_as_a_candidate():
    projects = [_project(1, owner=1), _project(2, owner=2), _project(3, owner=3)]
    index = ProjectIndex(projects)
    assert index.candidates(_doc(1, owner=1)) == {1, 2, 3}


def test_narrowing_a_common_name_by_region_and_year_equals_a_plain_scan():
    rng = random.Random(7)
    projects = []
    for pid in range(1, 400):
        start = date(rng.randint(2008, 2024), 1, 1) if rng.random() < 0.9 else None
        region = rng.choice(REGIONS)
        projects.append(_project(pid, owner=rng.randint(1, 40), start=start, region=region))
    index = ProjectIndex(projects)
    for doc_id in range(60):
        regions = rng.sample(REGIONS[:3], rng.randint(0, 2))
        years = rng.sample(range(2008, 2025), rng.randint(0, 2))
        doc = _doc(
            doc_id,
            regions=[Mention(r, r, {"level": "esf_region"}) for r in regions],
            dates=[Mention(str(y), f"{y}-05-01", {}) for y in years],
        )
        around = {y + d for y in years for d in (-1, 0, 1)}
        expected = [
            p.id
            for p in projects
            if (not regions or p.region in regions)
            and (not around or p.start is None or p.start.year in around)
        ]
        narrowed = index._narrow(projects[0].name_key, doc_keys(doc), set())
        assert narrowed == expected[: documents._MAX_BLOCK]


def test_projects_added_later_are_found_in_a_narrowed_block():
    index = ProjectIndex([_project(i, owner=i % 7) for i in range(1, 60)])
    assert 100 not in index.candidates(_doc(1, owner=50))
    index.add(_project(100, owner=50))
    assert index.candidates(_doc(1, owner=50)) == {100}


def test_link_documents_streams_the_links_of_link_document_in_order():
    projects = [
        _project(1, owner=1, region="Västsverige", esf_support=1_000_000),
        _project(2, owner=2, name="Kliv in", region="Sydsverige"),
    ]
    index = ProjectIndex(projects)
    docs = [
        _doc(1, owner=1, amounts=[Mention("1 000 000 kr", 1_000_000, {})]),
        _doc(2, name="Kliv in", owner=2),
        _doc(3, name="Okänt projekt"),
    ]
    expected = [link for doc in docs for link in link_document(doc, index)]
    assert expected and list(link_documents(docs, index)) == expected
    assert [x.a_id for x in expected] == sorted(x.a_id for x in expected)


def test_score_with_precomputed_keys_is_score_without():
    p = _project(1, owner=1, region="Västsverige", start=date(2024, 3, 1), rate=0.4)
    doc = _doc(
        1,
        owner=1,
        regions=[Mention("Västra Götaland", "Västra Götalands län", {"esf_region": "Västsverige"})],
        dates=[Mention("den 1 mars", "XXXX-03-01", {"partial": True})],
        shares=[Mention("60 procent", 0.6, {"refers_to": "cofinancing"})],
    )
    assert score(doc, p, 1, {1}) == score(doc, p, 1, {1}, doc_keys(doc))


def test_gc_paused_restores_the_collector_state():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
