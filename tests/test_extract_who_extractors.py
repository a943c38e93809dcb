"""Behaviour of the who/where extractors on short passages written for these tests."""

from __future__ import annotations

import pytest

from projektatlas.extract import organisations, personal, places, project_refs
from projektatlas.extract.base import ExtractContext

CTX = ExtractContext()


def _facts(module, text, ftype=None):
    facts = module.extract(text, CTX)
    for f in facts:
        assert text[f.start : f.end] == f.text
        assert 0 <= f.confidence <= 1
        assert f.extractor == module.NAME and f.extractor_version == module.VERSION
    return [f for f in facts if ftype is None or f.type == ftype]


def _values(module, text, ftype=None):
    return [f.value for f in _facts(module, text, ftype)]


# ---- places -------------------------------------------------------------------------


def test_places_levels_and_codes():
    facts = _facts(places, "Mötet hölls i Nässjö med gäster från Värmlands län och ESF Sydsverige.")
    by_value = {f.value: f for f in facts}
    assert by_value["Nässjö"].attrs == {
        "level": "kommun",
        "code": "0682",
        "lan_code": "06",
        "esf_region": "Småland och Öarna",
    }
    assert by_value["Värmlands län"].attrs["level"] == "lan"
    assert by_value["Värmlands län"].attrs["code"] == "17"
    assert by_value["Sydsverige"].attrs == {"level": "esf_region", "code": "SE22"}


def test_list_of_lan_derives_the_esf_region_only_when_one_region():
    facts = _facts(places, "Förbund från Dalarna, Värmland och Gävleborg deltog.")
    derived = [f for f in facts if f.attrs["level"] == "esf_region"]
    assert [f.value for f in derived] == ["Norra Mellansverige"]
    assert derived[0].text == "Dalarna, Värmland och Gävleborg"
    assert derived[0].attrs["derived_from"] == ["Dalarnas län", "Värmlands län", "Gävleborgs län"]
    mixed = _facts(places, "Förbund från Dalarna och Skåne deltog.")
    assert not [f for f in mixed if f.attrs["level"] == "esf_region"]


def test_locality_is_a_place_with_its_kommun():
    (fact,) = _facts(places, "De träffades i Tällberg förra året.")
    assert fact.value == "Tällberg" and fact.attrs["kommun"] == "Leksand"
    assert fact.attrs["level"] == "locality" and fact.attrs["lan_code"] == "20"


def test_ambiguous_kommun_names_need_context():
    assert _values(places, "Vara med och påverka!") == []
    assert _values(places, "Mark är viktig för bönderna.") == []
    assert _values(places, "Anna Lund leder arbetet.") == []
    assert _values(places, "Hon bor i Lund.") == ["Lund"]
    assert _values(places, "Vara kommun och Mark kommun") == ["Vara", "Mark"]
    assert _values(places, "Luleå, Piteå och Boden") == ["Luleå", "Piteå", "Boden"]


def test_region_alone_and_lowercase_words_are_not_places():
    assert _values(places, "Region och kommun samverkar; vi mora oss inte.") == []


def test_capital_letters_in_records():
    (fact,) = _facts(places, "Stödmottagare ort:\nKARLSTAD")
    assert fact.value == "Karlstad"


# ---- organisations ----------------------------------------------------------------


def test_organisation_patterns_and_kinds():
    text = (
        "Länsstyrelsen i Dalarnas län, Region Värmland, Falu kommun, Stockholms stad, "
        "Samordningsförbundet Östra Södertörn, Fellingsbro folkhögskola och Misa AB samverkar."
    )
    got = {f.value: f.attrs["kind"] for f in _facts(organisations, text)}
    assert got == {
        "Länsstyrelsen i Dalarnas län": "authority",
        "Region Värmland": "region",
        "Falu kommun": "kommun",
        "Stockholms stad": "kommun",
        "Samordningsförbundet Östra Södertörn": "samordningsförbund",
        "Fellingsbro folkhögskola": "school",
        "Misa AB": "company",
    }


def test_unknown_samordningsforbund_keeps_its_written_name():
    (fact,) = _facts(organisations, "Samordningsförbundet Norra Bohuslän beviljade pengar.")
    assert fact.value == "Samordningsförbundet Norra Bohuslän"
    assert fact.attrs["known"] is False


def test_national_organisations_in_variants_and_genitive():
    text = "Försäkringskassans och SKL:s experter samt Rädda barnen och ESF-rådet."
    facts = _facts(organisations, text)
    assert [f.value for f in facts] == [
        "Försäkringskassan",
        "Sveriges Kommuner och Regioner",
        "Rädda Barnen",
        "Svenska ESF-rådet",
    ]
    assert facts[1].attrs["former_name"] == "SKL"
    assert facts[3].attrs["org_number"] == "202100-5224"


def test_esf_compounds_and_region_names_are_not_the_fund():
    assert _values(organisations, "En ESF-ansökan skrevs inom ESF Norra Mellansverige.") == []
    assert _values(organisations, "Pengar från ESF och ESF+.") == [
        "Europeiska socialfonden",
        "Europeiska socialfonden+",
    ]


def test_group_mention_gives_one_fact_per_member():
    text = "Samordningsförbunden i Dalarna, Värmland och Gävleborg har fått medel."
    facts = _facts(organisations, text)
    assert sorted(f.value for f in facts) == [
        "Samordningsförbunden i Dalarnas län",
        "Samordningsförbunden i Gävleborgs län",
        "Samordningsförbunden i Värmlands län",
    ]
    assert {f.attrs["group"] for f in facts} == {text[: text.index(" har")]}
    assert all(f.attrs["members_known"] is False for f in facts)


def test_stated_org_number_is_validated_and_attached():
    facts = _facts(organisations, "Karlstads kommun (org.nr 212000-1850) äger projektet.")
    assert facts[0].attrs["org_number"] == "212000-1850"
    facts = _facts(organisations, "Misa AB, org.nr 556000-0000, utför tjänsten.")
    assert "org_number" not in facts[0].attrs  # fails the Luhn check


def test_region_alone_is_not_an_organisation():
    assert _values(organisations, "Region och kommun samverkar i Region Småland och Öarna.") == []


# ---- personal -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Det säger projektledare Anna Åhman.", ["Anna Åhman"]),
        ("– Det går bra, berättar Kim Nordin, samordnare på Region Skåne.", ["Kim Nordin"]),
        ("Kontaktperson:\nKenny Sjöberg\nE-post:", ["Kenny Sjöberg"]),
        ("Från vänster, Eva Holm och Bo Ek.", ["Eva Holm", "Bo Ek"]),
        ("Förbundschef Lars-Erik Nyström välkomnar beslutet.", ["Lars-Erik Nyström"]),
        ("Hanna af Klint, processledare, höll i trådarna.", ["Hanna af Klint"]),
    ],
)
def test_person_patterns(text, names):
    facts = _facts(personal, text, "person")
    assert [f.value for f in facts] == names
    assert all(f.personal and f.attrs["personal"] for f in facts)


def test_places_and_organisations_are_not_persons():
    text = (
        "Projektledare på Region Jönköpings län berättar. Västra Götaland och Kalmar kommun "
        "samverkar, säger Arbetsförmedlingen. • Bas Kalmar, projektledare Anna Åhman"
    )
    assert _values(personal, text, "person") == ["Anna Åhman"]


def test_email_and_phone():
    text = "Mejla kim.nordin@skane.se eller ring 070-123 45 67 / +46 (0)8 555 123 45."
    facts = _facts(personal, text)
    assert [(f.type, f.value) for f in facts] == [
        ("email", "kim.nordin@skane.se"),
        ("phone", "+46701234567"),
        ("phone", "+46855512345"),
    ]
    assert all(f.personal for f in facts)


def test_numbers_that_are_not_phones():
    text = (
        "Diarienummer 2020/00701, org.nr 212000-1850, datum 2021-02-01, postnr 651 84, 399 819 kr."
    )
    assert _facts(personal, text) == []


# ---- project references ---------------------------------------------------------------


def test_diarienummer_new_and_old_but_not_dates_or_fractions():
    text = "Ärende 23-001-s01 och 2020/00701 beslutades 2021-02-01; hälften (1/2) av 2020/21."
    facts = _facts(project_refs, text)
    assert [(f.value, f.attrs["period"]) for f in facts] == [
        ("23-001-S01", "2021-2027"),
        ("2020/00701", "2014-2020"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("I projektet Lärande och utveckling FINansiell SAMordning ska alla delta.",
         "Lärande och utveckling FINansiell SAMordning"),
        ("Projektet Stegvis mot arbete startade i fjol.", "Stegvis mot arbete"),
        ('Vi driver projektet "Vägen in" sedan 2020.', "Vägen in"),
        ("  • Jobbresan – ett helhetsgrepp, projektledare Pierre Thorell", "Jobbresan – ett helhetsgrepp"),
        ("23-001-S01 - Lärande och Utveckling", "Lärande och Utveckling"),
        ("Framtidens välfärd - Fler vägar in är en förstudie om välfärden.", "Framtidens välfärd - Fler vägar in"),
    ],
)  # fmt: skip
def test_project_names(text, name):
    names = [f.value for f in _facts(project_refs, text) if f.attrs["kind"] == "name"]
    assert names == [name]


def test_no_project_name_without_a_name():
    assert (
        _facts(project_refs, "Projektet syftar till att öka sysselsättningen. Det är ett projekt.")
        == []
    )


def test_person_names_never_become_project_names():
    text = "• Anna Åhman, kontaktperson\nProjektet Maria Svensson leder är nytt."
    assert [f.value for f in _facts(project_refs, text) if f.attrs["kind"] == "name"] == []
    assert "Anna Åhman" in _values(personal, text, "person")


def test_company_named_after_a_person_is_not_an_organisation_fact():
    text = "Uppdraget gick till Anna Svensson AB och till Misa AB."
    assert _values(organisations, text) == ["Misa AB"]
    assert _values(personal, text, "person") == ["Anna Svensson"]


def test_contact_heading_without_colon():
    facts = _facts(personal, "Kontakt\nLinda Åkesson\nProcessledare")
    assert [(f.value, f.attrs["evidence"]) for f in facts] == [("Linda Åkesson", "label")]
