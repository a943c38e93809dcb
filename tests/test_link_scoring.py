"""Scoring of a document against a project, feature by feature (no store)."""

from __future__ import annotations

from datetime import date

from projektatlas.link.documents import ProjectIndex, link_document, score
from projektatlas.link.profiles import DocumentEvidence, Mention, ProjectProfile


def _project(**kw) -> ProjectProfile:
    base = dict(
        id=1,
        diarienummer="22-020-S08",
        name="Unga in",
        owner_id=7,
        owner_name="Malå kommun",
        owner_keys=frozenset({"malå kommun"}),
        region="Övre Norrland",
        start=date(2022, 4, 1),
        end=date(2025, 9, 30),
        esf_support=5_660_850,
        rate=0.4,
        participants=250,
    )
    base.update(kw)
    return ProjectProfile(**base)


def _features(doc: DocumentEvidence, p: ProjectProfile) -> dict[str, float]:
    return {e["feature"]: e["weight"] for e in score(doc, p)[1]}


def test_an_approximate_amount_agrees_within_rounding_but_not_beyond():
    p = _project()
    near = DocumentEvidence(
        1,
        amounts=[
            Mention(
                "omkring 5,7 miljoner kronor",
                5_700_000,
                {"approximate": True, "refers_to": "granted"},
            )
        ],
    )
    assert "amount_approximate" in _features(near, p)
    exact_text = DocumentEvidence(
        1, amounts=[Mention("5,7 miljoner kronor", 5_700_000, {"refers_to": "granted"})]
    )
    assert _features(exact_text, p) == {"amount_conflict": -1.0}
    far = DocumentEvidence(
        1,
        amounts=[
            Mention("cirka 9 miljoner", 9_000_000, {"approximate": True, "refers_to": "granted"})
        ],
    )
    assert "amount_approximate" not in _features(far, p)


def test_own_share_is_compared_with_one_minus_the_union_rate():
    p = _project()
    own = DocumentEvidence(1, shares=[Mention("60 procent", 0.6, {"refers_to": "cofinancing"})])
    assert _features(own, p) == {"cofinancing": 1.0}
    wrong = DocumentEvidence(1, shares=[Mention("40 procent", 0.4, {"refers_to": "cofinancing"})])
    assert _features(wrong, p) == {"cofinancing_conflict": -1.0}


def test_a_region_elsewhere_counts_against_the_project():
    p = _project()
    doc = DocumentEvidence(
        1, regions=[Mention("Skåne", "Skåne län", {"level": "lan", "esf_region": "Sydsverige"})]
    )
    assert _features(doc, p) == {"region_conflict": -3.0}


def test_a_successor_name_in_the_text_is_not_the_predecessor():
    p = _project(name="Vägen vidare Malå")
    doc = DocumentEvidence(1, text_key="projektet vägen vidare malå 2 0 startar")
    assert "name_in_text" not in _features(doc, p)
    doc = DocumentEvidence(1, text_key="projektet vägen vidare malå startar")
    assert "name_in_text" in _features(doc, p)


def test_diarienummer_and_owner_make_a_link_and_region_alone_does_not():
    p = _project()
    index = ProjectIndex([p])
    strong = DocumentEvidence(
        1,
        diarienummer=[Mention("22-020-S08", "22-020-S08", {"kind": "diarienummer"})],
        organisations=[Mention("Malå kommun", "Malå kommun", {"kind": "kommun"})],
    )
    [link] = link_document(strong, index)
    assert link.status == "linked" and link.score >= 6
    weak = DocumentEvidence(
        2, regions=[Mention("Övre Norrland", "Övre Norrland", {"level": "esf_region"})]
    )
    assert link_document(weak, index) == []
