"""Target groups and methods matched against their documented taxonomies."""

from __future__ import annotations

import re

import pytest

from projektatlas.extract import methods, target_groups
from projektatlas.extract.base import ExtractContext
from projektatlas.extract.taxonomy import load

CTX = ExtractContext()


def _groups(text: str) -> list[str]:
    return [f.value for f in target_groups.extract(text, CTX)]


def _methods(text: str) -> list[str]:
    return [f.value for f in methods.extract(text, CTX)]


@pytest.mark.parametrize("name", ["target_groups", "methods"])
def test_taxonomy_files_are_documented_and_valid(name: str) -> None:
    tax = load(name)
    assert tax.source
    ids = [e["id"] for e in tax.entries]
    assert len(ids) == len(set(ids))
    for entry in tax.entries:
        assert re.fullmatch(r"[a-z_]+", entry["id"])
        assert (
            entry["label_sv"]
            and entry["label_en"]
            and entry["patterns"]
            or entry.get("case_sensitive_patterns")
        )
        if "broader" in entry:
            assert tax.by_id(entry["broader"]) is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Projektet vänder sig till unga som varken arbetar eller studerar.", ["uvas"]),
        ("Fokus ligger på UVAS i kommunen.", ["uvas"]),
        ("Målgruppen är unga mellan 16 och 24 år som varken arbetar eller studerar.", ["uvas"]),
        ("Insatsen är till för nyanländas etablering.", ["nyanlanda"]),
        ("Hon arbetar med långtidsarbetslösas situation.", ["langtidsarbetslosa"]),
        ("Stödet riktar sig till sjukskrivna personer.", ["sjukskrivna"]),
        ("Många utrikesfödda kvinnor saknar jobb.", ["utrikesfodda_kvinnor"]),
        ("De utrikesfödda kvinnliga deltagarna fick stöd.", ["utrikesfodda_kvinnor"]),
        ("Personer med kort utbildningsbakgrund fick studiestöd.", ["kort_utbildning"]),
        ("De står långt från arbetsmarknaden.", ["langt_fran_arbetsmarknaden"]),
        ("Unga med aktivitetsersättning deltar.", ["unga", "aktivitetsersattning"]),
        ("Hushåll med ekonomiskt bistånd får hjälp.", ["forsorjningsstod"]),
        ("Satsningen motverkar barnfattigdom.", ["barn_ekonomisk_utsatthet"]),
        ("Målgruppen för projektet är personal hos förbunden.", ["anstallda_kompetensutveckling"]),
        ("Stödet riktar sig till personer med psykisk ohälsa.", ["psykisk_ohalsa"]),
    ],
)
def test_target_groups(text: str, expected: list[str]) -> None:
    assert _groups(text) == expected


def test_combined_mention_gives_two_linked_facts() -> None:
    facts = target_groups.extract("Insatsen förbereder nyanlända med kort utbildning för SFI.", CTX)
    assert [f.value for f in facts] == ["nyanlanda", "kort_utbildning"]
    assert facts[0].attrs["combined_with"] == ["kort_utbildning"]
    assert facts[0].attrs["label_sv"] == "nyanlända"


@pytest.mark.parametrize(
    "text",
    [
        "Projektet stärker jämställdhet mellan kvinnor och män.",
        "Vi ersätter äldre metoder med nya.",
        "Stödet når långt ifrån alla.",
        "Projektet leds av unga företag i regionen.",
    ],
)
def test_target_group_negatives(text: str) -> None:
    assert _groups(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("De arbetar enligt Supported employment.", ["supported_employment"]),
        ("Förbundet använder IPS.", ["ips"]),
        ("Kartläggningen görs gemensamt.", ["kartlaggning"]),
        ("Varje deltagare får en jobbcoach.", ["coachning"]),
        ("Deltagarna läser SFI och får språkstöd.", ["sprakstod", "sprakstod"]),
        ("Efter arbetsträning följer praktik.", ["arbetstraning", "praktik"]),
        ("De erbjuds validering och mentorskap.", ["validering", "mentorskap"]),
        ("Studie- och yrkesvägledning ingår.", ["studie_yrkesvagledning"]),
        ("Alla får en SIP.", ["sip"]),
        ("Personalen utbildas i motiverande samtal.", ["motiverande_samtal"]),
        ("Projektet bygger på utbildning av utbildare.", ["utbildning_av_utbildare"]),
        (
            "Det blev en föreläsningsserie och erfarenhetsutbyte.",
            ["forelasningar", "erfarenhetsutbyte"],
        ),
        ("Den arbetslivsinriktade rehabiliteringen samordnas.", ["rehabilitering"]),
    ],
)
def test_methods(text: str, expected: list[str]) -> None:
    assert _methods(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Det fungerar i praktiken.",
        "De ger praktiska exempel.",
        "Nationella Nätverket för Samordningsförbund samlas.",
        "Personer i behov av samordnad rehabilitering.",
        "Vi läser mips och tips.",
    ],
)
def test_method_negatives(text: str) -> None:
    assert _methods(text) == []


def test_spans_match_text() -> None:
    text = "Unga med psykisk ohälsa får IPS och kartläggning."
    for fact in target_groups.extract(text, CTX) + methods.extract(text, CTX):
        assert text[fact.start : fact.end] == fact.text
        assert 0 < fact.confidence <= 1


def test_patterns_match_across_line_breaks() -> None:
    assert _groups("Insatser för dem som står särskilt långt ifrån\narbetsmarknaden.") == [
        "langt_fran_arbetsmarknaden"
    ]


def test_network_in_capitals_is_an_organisation_name() -> None:
    assert _methods("Föreningen är medlem i NÄTVERKET.") == []
    assert _methods("Nätverket träffas varje månad.") == ["natverk"]


def test_foreign_born_women_and_men_is_the_general_group() -> None:
    assert _groups("Satsningar på utrikes födda kvinnor och män.") == ["utrikesfodda"]


def test_neet_paraphrase() -> None:
    assert _groups("Arbetet med unga som står utanför arbete och studier.") == ["uvas"]
