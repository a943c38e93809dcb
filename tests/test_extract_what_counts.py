"""Counts of participants and organisations."""

from __future__ import annotations

import pytest

from projektatlas.extract import counts
from projektatlas.extract.base import ExtractContext
from projektatlas.extract.numbers import adjective_years, word_to_number

CTX = ExtractContext()


@pytest.mark.parametrize(
    ("text", "value", "what"),
    [
        ("1260 deltagare", 1260, "deltagare"),
        ("1 260 deltagare", 1260, "deltagare"),
        ("140 deltagare", 140, "deltagare"),
        ("de tolv samordningsförbunden", 12, "samordningsförbund"),
        ("samtliga 12 samordningsförbund", 12, "samordningsförbund"),
        ("12 förbund", 12, "förbund"),
        ("åtta regioner", 8, "region"),
        ("tre olika län", 3, "län"),
        ("fyra spår", 4, "spår"),
        ("fem kommuner", 5, "kommun"),
        ("3 folkhögskolor", 3, "folkhögskola"),
        ("46 deltagarna", 46, "deltagare"),
    ],
)
def test_counts(text: str, value: int, what: str) -> None:
    (fact,) = counts.extract(f"I satsningen ingår {text} i dag.", CTX)
    assert (fact.value, fact.attrs["what"]) == (value, what)


def test_approximate_counts() -> None:
    facts = counts.extract("cirka 300 unga, ett tiotal kommuner och ett 40-tal deltagare", CTX)
    assert [(f.value, f.attrs["what"]) for f in facts] == [
        (300, "unga"),
        (10, "kommun"),
        (40, "deltagare"),
    ]
    assert all(f.attrs["approximate"] for f in facts)


def test_hundreds_is_a_lower_bound() -> None:
    (fact,) = counts.extract("Hundratals personer har fått stöd.", CTX)
    assert (fact.value, fact.attrs["lower_bound"]) == (100, True)


@pytest.mark.parametrize(
    "text",
    [
        "Spår 1 har fokus på metoder.",
        "Förbundet är en kommun bland andra.",
        "Tre av fyra deltagare var nöjda.",
        "Den 14 januari hölls mötet.",
        "Antal deltagare:\n1260",
        "Unga 16–24 år är målgruppen.",
    ],
)
def test_not_counts(text: str) -> None:
    assert counts.extract(text, CTX) == []


def test_number_words() -> None:
    assert [word_to_number(w) for w in ("tre", "tolv", "tjugofem", "fyrtio", "nitton")] == [
        3,
        12,
        25,
        40,
        19,
    ]
    assert word_to_number("tretton") == 13
    assert word_to_number("förbund") is None
    assert adjective_years("treårigt") == 3
    assert adjective_years("tvåårsprojekt") == 2
    assert adjective_years("flerårigt") is None


def test_antal_phrases() -> None:
    text = "Antal beviljade projekt uppgår till 288. Totalt antal deltagare är drygt 72 700."
    facts = counts.extract(text, CTX)
    assert [(f.value, f.attrs["what"]) for f in facts] == [(288, "projekt"), (72_700, "deltagare")]
    assert facts[1].attrs["approximate"] is True


def test_part_of_a_whole_is_counted() -> None:
    (fact,) = counts.extract("Förbunden omfattar 218 av Sveriges kommuner.", CTX)
    assert (fact.value, fact.attrs["what"]) == (218, "kommun")


def test_participle_between_number_and_noun() -> None:
    (fact,) = counts.extract("Av de 20 bifallna ansökningarna kom flest från kommuner.", CTX)
    assert (fact.value, fact.attrs["what"]) == (20, "ansökning")
