"""Acceptance on the real seed documents (read from shared/seeds), after clean_text."""

from __future__ import annotations

from projektatlas.extract import organisations, personal, places, project_refs
from projektatlas.extract.base import ExtractContext
from projektatlas.extract.clean import clean_text
from tests.conftest import seed_path

CTX = ExtractContext()


def _text(prefix: str) -> str:
    return clean_text(seed_path(prefix).read_text(encoding="utf-8")).text


def _by(module, text, **attrs):
    facts = module.extract(text, CTX)
    for f in facts:
        assert text[f.start : f.end] == f.text
    return [f for f in facts if all(f.attrs.get(k) == v for k, v in attrs.items())]


def test_seed_000_places():
    text = _text("000")
    lan = {f.value for f in _by(places, text, level="lan")}
    assert lan == {"Dalarnas län", "Värmlands län", "Gävleborgs län"}
    regions = _by(places, text, level="esf_region")
    assert {f.value for f in regions} == {"Norra Mellansverige"}
    assert any(f.attrs.get("derived_from") for f in regions)
    assert [f.value for f in _by(places, text, level="locality")] == ["Tällberg"]


def test_seed_000_organisations():
    text = _text("000")
    facts = organisations.extract(text, CTX)
    group = [
        f
        for f in facts
        if f.attrs.get("group") == "Samordningsförbunden i Dalarna, Värmland och Gävleborg"
    ]
    assert sorted(f.value for f in group) == [
        "Samordningsförbunden i Dalarnas län",
        "Samordningsförbunden i Gävleborgs län",
        "Samordningsförbunden i Värmlands län",
    ]
    values = {f.value for f in facts}
    assert {"Europeiska socialfonden", "Svenska ESF-rådet"} <= values
    esf = [f for f in facts if f.text == "ESF"]
    assert esf and all(f.attrs["kind"] == "programme" for f in esf)
    assert not personal.extract(text, CTX)


def test_seed_004_places():
    text = _text("004")
    facts = places.extract(text, CTX)
    nassjo = next(f for f in facts if f.value == "Nässjö")
    assert nassjo.attrs == {
        "level": "kommun",
        "code": "0682",
        "lan_code": "06",
        "esf_region": "Småland och Öarna",
    }
    assert {"Kalmar", "Tranemo", "Vetlanda", "Småland och Öarna", "Jönköpings län"} <= {
        f.value for f in facts
    }


def test_seed_004_organisations():
    text = _text("004")
    got = {f.value: f for f in organisations.extract(text, CTX)}
    for name in (
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Rädda Barnen",
        "Region Jönköpings län",
        "Folkuniversitetet",
        "Coompanion",
        "Kalmar kommun",
        "Tranemo kommun",
        "Vetlanda kommun",
    ):
        assert name in got, name
    assert got["Rädda Barnen"].text == "Rädda barnen"
    assert got["Kalmar kommun"].attrs["kind"] == "kommun"


def test_seed_004_project_names_and_leaders():
    text = _text("004")
    names = {f.value for f in project_refs.extract(text, CTX) if f.attrs["kind"] == "name"}
    assert {"Bas Kalmar", "Trappstegsmodellen", "Jobbresan – ett helhetsgrepp"} <= names
    persons = [f for f in personal.extract(text, CTX) if f.type == "person"]
    assert [f.value for f in persons] == ["Anna Åhman", "José Roberto Hernandez", "Pierre Thorell"]
    assert all(f.attrs["role"] == "projektledare" and f.personal for f in persons)


def test_seed_002_people_and_organisations():
    text = _text("002")
    persons = {f.value for f in personal.extract(text, CTX) if f.type == "person"}
    assert persons == {"Carina Cannertoft", "Stellan Berglund"}
    orgs = {f.value for f in organisations.extract(text, CTX)}
    assert {
        "Sveriges Kommuner och Regioner",
        "Samordningsförbundet Skellefteå Norsjö",
        "Nationella rådet",
        "Nationella nätverket för samordningsförbund",
        "Svenska ESF-rådet",
    } <= orgs
    assert "Framtidens välfärd - Fler vägar in" in {
        f.value for f in project_refs.extract(text, CTX)
    }


def test_seed_001_and_003_records():
    text = _text("001")
    refs = {f.value for f in project_refs.extract(text, CTX)}
    assert {"23-001-S01", "Lärande och Utveckling FINansiell SAMordning"} <= refs
    karlstad = next(f for f in organisations.extract(text, CTX) if f.value == "Karlstads kommun")
    assert karlstad.attrs["org_number"] == "212000-1850"
    text = _text("003")
    facts = personal.extract(text, CTX)
    assert [(f.type, f.value) for f in facts] == [
        ("person", "Kenny Sjöberg"),
        ("email", "kenny.sjoberg@yahoo.com"),
    ]
    assert {f.value for f in organisations.extract(text, CTX)} == {
        "Samordningsförbundet RAR Sörmland"
    }
