"""The gazetteers: complete codes, inflected lookups, ESF regions, organisations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from projektatlas.extract import gazetteer as g

DATA = Path(g.__file__).parent / "data"


def test_counts_and_codes():
    assert len(g.kommuner()) == 290
    assert len(g.lan_list()) == 21
    assert len(g.esf_regions()) == 8
    assert {k.code[:2] for k in g.kommuner()} == {lan.code for lan in g.lan_list()}
    assert all(k.lan_code == k.code[:2] for k in g.kommuner())
    # every län is in exactly one ESF region
    codes = [c for r in g.esf_regions() for c in r.lan_codes]
    assert sorted(codes) == sorted(lan.code for lan in g.lan_list())


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Dalarna", "20"),
        ("Dalarnas", "20"),
        ("Dalarnas län", "20"),
        ("Värmlands län", "17"),
        ("i Gävleborg", "21"),
        ("Sörmland", "04"),
        ("Södermanland", "04"),
        ("Region Jönköpings län", "06"),
        ("Västra Götaland", "14"),
        ("Västra Götalands län", "14"),
        ("Kalmar län", "08"),
        ("Jämtland Härjedalen", "23"),
    ],
)
def test_lan_by_name(name, code):
    lan = g.lan_by_name(name)
    assert lan is not None and lan.code == code


@pytest.mark.parametrize(
    ("name", "code", "org"),
    [
        ("Stockholms stad", "0180", "Stockholms stad"),
        ("Karlstads kommun", "1780", "Karlstads kommun"),
        ("KARLSTADS KOMMUN", "1780", "Karlstads kommun"),
        ("KARLSTAD", "1780", "Karlstads kommun"),
        ("Falu kommun", "2080", "Falu kommun"),
        ("Nässjö", "0682", "Nässjö kommun"),
        ("Kalmar kommun", "0880", "Kalmar kommun"),
        ("Tranemo", "1452", "Tranemo kommun"),
        ("Göteborgs Stad", "1480", "Göteborgs stad"),
        ("Upplands Väsby", "0114", "Upplands Väsby kommun"),
    ],
)
def test_kommun_by_name(name, code, org):
    kommun = g.kommun_by_name(name)
    assert kommun is not None and kommun.code == code and kommun.org_name == org


def test_unknown_names_are_none():
    assert g.kommun_by_name("Region") is None
    assert g.lan_by_name("Småland") is None
    assert g.esf_region_by_name("Norrland") is None


def test_esf_regions():
    assert g.esf_region_of_lan("20").name == "Norra Mellansverige"
    assert g.esf_region_of_lan("20").nuts2 == "SE31"
    assert g.esf_region_of_lan("14").name == "Västsverige"
    assert g.esf_region_by_name("Småland och Öarnas").nuts2 == "SE21"
    assert g.esf_region_by_name("Region Småland och Öarna").lan_codes == ("06", "07", "08", "09")
    assert g.esf_region_by_name("SE12").name == "Östra Mellansverige"
    with pytest.raises(KeyError):
        g.esf_region_of_lan("99")


def test_nässjö_is_in_jönköpings_län_and_småland_och_öarna():
    kommun = g.kommun_by_name("Nässjö")
    assert g.lan_by_code(kommun.lan_code).name == "Jönköpings län"
    assert kommun.esf_region == "Småland och Öarna"


def test_localities_resolve_to_their_kommun():
    tallberg = next(loc for loc in g.localities() if loc.name == "Tällberg")
    assert g.kommun_by_code(tallberg.kommun_code).name == "Leksand"
    assert all(g.kommun_by_code(loc.kommun_code) for loc in g.localities())
    assert not any(g.kommun_by_name(loc.name) for loc in g.localities())


def test_organisations_with_kinds_and_only_known_org_numbers():
    esf = g.organisation_by_name("ESF-rådet")
    assert esf.name == "Svenska ESF-rådet" and esf.org_number == "202100-5224"
    assert esf.kind == "authority"
    assert g.organisation_by_name("SKL").name == "Sveriges Kommuner och Regioner"
    assert g.organisation_by_name("rädda barnen").kind == "idéburen"
    assert g.organisation_by_name("ABF").kind == "studieförbund"
    assert g.kommun_by_name("Karlstad").org_number == "212000-1850"
    numbered = [o.name for o in g.organisations() if o.org_number]
    assert numbered == ["Svenska ESF-rådet"]


def test_samordningsforbund_list_is_partial_and_never_guesses_coverage():
    data = json.loads((DATA / "samordningsforbund.json").read_text("utf-8"))
    assert "PARTIAL" in data["source"]
    rar = g.samordningsforbund_by_name("RAR i Sörmland")
    assert rar.name == "Samordningsförbundet RAR Sörmland" and rar.kommuner is None
    sn = g.samordningsforbund_by_name("samordningsförbundet Skellefteå Norsjö")
    assert sn.kommuner == ("Skellefteå", "Norsjö")
    assert data["groups"][0]["count"] == 12 and data["groups"][0]["member_names"] is None
    for f in g.samordningsforbund():
        for name in f.kommuner or ():
            assert g.kommun_by_name(name) is not None


def test_every_data_file_has_a_source_note():
    for path in DATA.glob("*.json"):
        assert json.loads(path.read_text("utf-8"))["source"]
    assert (DATA / "first_names.txt").read_text("utf-8").startswith("#")


def test_geo_json_is_what_the_build_script_makes():
    from projektatlas.extract.data import build_gazetteer

    assert build_gazetteer.build() == json.loads((DATA / "geo.json").read_text("utf-8"))
