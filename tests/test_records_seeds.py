"""Acceptance values for the real seed documents in /work/shared/seeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from projektatlas.records import NotARecord, parse_record

SEEDS = Path("/work/shared/seeds")
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not available")


def _seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def test_seed_001_is_a_2021_2027_record_with_all_acceptance_values():
    text = _seed("001")
    rec = parse_record(text)
    assert rec.layout == "2021-2027"
    assert rec.identity == "23-001-S01"
    expected = {
        "diarienummer": "23-001-S01",
        "owner_org_number": "212000-1850",
        "owner_name": "KARLSTADS KOMMUN",
        "region": "Norra Mellansverige",
        "nuts2": "SE31",
        "start_date": date(2023, 9, 1),
        "end_date": date(2026, 8, 31),
        "union_cofinancing_rate": 0.6,
        "participants_planned": 1260,
        "programme_area": "A",
        "specific_objective": "A1B",
        "intervention_type": "141",
        "fund": "ESF+",
        "programme_period": "2021-2027",
        "programme_cci": "2021SE05SFPR",
        "postal_code": "65184",
        "city": "KARLSTAD",
        "country": "Sverige",
        "strategic_importance": False,
        "child_poverty_theme": False,
        "name": "Lärande och Utveckling FINansiell SAMordning",
    }
    assert {k: rec.get(k) for k in expected} == expected
    assert rec.persons == []
    assert rec.warnings == []


def test_seed_001_spans_point_at_the_values_in_the_text():
    text = _seed("001")
    rec = parse_record(text)
    for fv in rec.fields.values():
        if fv.label == "derived":
            assert fv.start is None and fv.end is None
        else:
            assert text[fv.start : fv.end] == fv.raw
    assert rec.fields["owner_org_number"].raw == "2120001850"
    assert rec.fields["owner_org_number"].label == "Projektägare organisationsnummer"


def test_seed_001_description_keeps_paragraphs():
    rec = parse_record(_seed("001"))
    description = rec.get("description")
    assert description.startswith("Dalarna, Gävleborg och Värmlands län")
    assert description.count("\n\n") == 3
    assert description.endswith("ut i arbete.")


def test_seed_003_is_a_2014_2020_record_with_all_acceptance_values():
    text = _seed("003")
    rec = parse_record(text)
    assert rec.layout == "2014-2020"
    assert rec.identity == "2020/00701"
    expected = {
        "total_budget_sek": 399819,
        "esf_support_sek": 399819,
        "union_cofinancing_rate": 0.5,
        "start_date": date(2021, 2, 1),
        "end_date": date(2021, 10, 30),
        "participants_planned": 140,
        "region": "Östra Mellansverige",
        "nuts2": "SE12",
        "programme_area": "1",
        "specific_objective": "1.1",
        "programme_period": "2014-2020",
        "intervention_type": "117",
        "postal_code": "61188",
        "owner_name": "Samordningsförbundet RAR Sörmland, Samordningsförbundet RAR",
    }
    assert {k: rec.get(k) for k in expected} == expected
    assert "address" not in rec.fields
    assert "fund" not in rec.fields  # not stated, and 2014–2020 is never guessed
    assert rec.fields["nuts2"].label == "derived"
    assert rec.fields["nuts2"].raw == "Östra Mellansverige"
    # Dates came from Projektperiod because Startdatum/Slutdatum are empty.
    start = rec.fields["start_date"]
    assert start.label == "Projektperiod"
    assert text[start.start : start.end] == "2021-02-01"


def test_seed_003_contact_person_is_personal_data_only():
    text = _seed("003")
    rec = parse_record(text)
    assert len(rec.persons) == 1
    person = rec.persons[0]
    assert (person.name, person.email, person.role) == (
        "Kenny Sjöberg",
        "kenny.sjoberg@yahoo.com",
        "kontaktperson",
    )
    assert "Kenny Sjöberg" in text[person.start : person.end]
    assert "kenny.sjoberg@yahoo.com" in text[person.start : person.end]
    for fv in rec.fields.values():
        assert "Sjöberg" not in str(fv.value) and "yahoo" not in str(fv.value)
    assert not any("Sjöberg" in w or "yahoo" in w for w in rec.warnings)


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_non_record_seeds_are_not_records(prefix):
    with pytest.raises(NotARecord) as info:
        parse_record(_seed(prefix))
    assert info.value.reason
