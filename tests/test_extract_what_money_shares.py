"""Money and share extractors: values, qualifiers, and numbers that are not money."""

from __future__ import annotations

import pytest

from projektatlas.extract import money, shares
from projektatlas.extract.base import ExtractContext

CTX = ExtractContext()


def _money(text: str) -> list[tuple[str, int]]:
    return [(f.text, f.value) for f in money.extract(text, CTX)]


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("Förbundet fick 399 819 kr i stöd.", "399 819 kr", 399_819),
        ("Kommunen satsar 35 miljoner kronor.", "35 miljoner kronor", 35_000_000),
        ("Ramen är 300 mkr för hela länet.", "300 mkr", 300_000_000),
        ("Projektet kostar 12,5 Mkr.", "12,5 Mkr", 12_500_000),
        ("Det handlar om 750 tkr per år.", "750 tkr", 750_000),
        ("Budgeten är 4 mnkr.", "4 mnkr", 4_000_000),
        ("Fonden omfattar 2 mdkr.", "2 mdkr", 2_000_000_000),
        ("Stödet uppgår till 1,5 MSEK.", "1,5 MSEK", 1_500_000),
        ("Avgiften är 250 SEK.", "250 SEK", 250),
        ("Kostnad 25 000:- per plats.", "25 000:-", 25_000),
        ("Staten satsar tre miljoner kronor.", "tre miljoner kronor", 3_000_000),
        ("Budgeten för satsningen är 1,4 miljarder.", "1,4 miljarder", 1_400_000_000),
    ],
)
def test_amounts_and_scales(text: str, written: str, value: int) -> None:
    assert _money(text) == [(written, value)]


def test_approximate_amount_keeps_its_hedge_and_flags_it() -> None:
    (fact,) = money.extract("ESF har beviljat cirka 24 miljoner kr till projektet.", CTX)
    assert fact.text == "cirka 24 miljoner kr"
    assert fact.value == 24_000_000
    assert fact.attrs["approximate"] is True
    assert fact.attrs["refers_to"] == "granted"


@pytest.mark.parametrize("hedge", ["runt", "drygt", "omkring", "ungefär", "nästan", "ca"])
def test_hedges_make_amounts_approximate(hedge: str) -> None:
    (fact,) = money.extract(f"Det blev {hedge} 5 miljoner kronor.", CTX)
    assert fact.attrs["approximate"] is True


def test_exact_amount_is_not_approximate() -> None:
    (fact,) = money.extract("Det blev 5 miljoner kronor.", CTX)
    assert "approximate" not in fact.attrs


@pytest.mark.parametrize(
    ("sentence", "refers_to"),
    [
        ("Projektet har beviljats 2 miljoner kronor.", "granted"),
        ("Den totala budgeten är 2 miljoner kronor.", "budget"),
        ("Kommunen medfinansierar med 2 miljoner kronor.", "cofinancing"),
        ("I utlysningen finns 2 miljoner kronor att söka.", "call"),
    ],
)
def test_refers_to_comes_from_the_sentence(sentence: str, refers_to: str) -> None:
    (fact,) = money.extract(sentence, CTX)
    assert fact.attrs["refers_to"] == refers_to


def test_refers_to_is_absent_without_a_cue() -> None:
    (fact,) = money.extract("Det handlar om 2 miljoner kronor.", CTX)
    assert "refers_to" not in fact.attrs


def test_refers_to_may_come_from_the_previous_sentence() -> None:
    text = (
        "Förbunden har beviljats medel från ESF. Pengarna, runt 8 miljoner kr, går till utbildning."
    )
    (fact,) = money.extract(text, CTX)
    assert fact.attrs["refers_to"] == "granted"


@pytest.mark.parametrize(
    "text",
    [
        "Ring oss på 070-412 88 31 om ärende 2019/00457.",
        "Beslutet fattades 2021 och gäller diarienummer 2021/00123.",
        "Projektet har 140 deltagare och pågår till 2025.",
        "Staden har 1,4 miljoner invånare och många stödinsatser.",
        "Mötet börjar 13.30 i sal 4, växel 08-123 456 00.",
        "Drygt 3 miljoner svenskar får stöd varje år.",
        "Projektet fick stöd för 2 miljoner euro.",
    ],
)
def test_numbers_without_currency_are_not_money(text: str) -> None:
    assert money.extract(text, CTX) == []


def test_spans_point_into_the_text() -> None:
    text = "Först 3 mkr och sedan drygt 12,5 miljoner kronor."
    for fact in money.extract(text, CTX):
        assert text[fact.start : fact.end] == fact.text
        assert fact.extractor == money.NAME and fact.extractor_version == "1.0"


@pytest.mark.parametrize(
    ("text", "value"),
    [("40 procent", 0.4), ("60%", 0.6), ("46 %", 0.46), ("8,5 procent", 0.085)],
)
def test_percent_forms(text: str, value: float) -> None:
    (fact,) = shares.extract(f"Andelen är {text}.", CTX)
    assert fact.value == pytest.approx(value)
    assert fact.type == "share"


def test_own_cofinancing_share() -> None:
    text = "Samordningsförbunden finansierar själva runt 40 procent av kostnaden."
    (fact,) = shares.extract(text, CTX)
    assert fact.value == pytest.approx(0.4)
    assert fact.attrs["refers_to"] == "cofinancing"
    assert fact.attrs["approximate"] is True


@pytest.mark.parametrize(
    "text",
    [
        "Unionens medfinansieringsgrad:\n60%",
        "EU-andelen är 60 procent.",
        "EU står för 60 procent av kostnaderna.",
    ],
)
def test_eu_share(text: str) -> None:
    (fact,) = shares.extract(text, CTX)
    assert fact.attrs["refers_to"] == "eu_share"


def test_other_share_and_percentage_points() -> None:
    facts = shares.extract("Arbetslösheten steg med 2 procentenheter till 8 procent.", CTX)
    assert [(f.text, f.attrs["refers_to"]) for f in facts] == [("8 procent", "other")]


def test_fraction_words() -> None:
    text = "Förbundet står själva för en tredjedel, och staten betalar hälften."
    assert [round(f.value, 3) for f in shares.extract(text, CTX)] == [0.333, 0.5]
    assert shares.extract("Det tog halva dagen.", CTX) == []


def test_share_range_gives_lower_bound_and_max() -> None:
    (fact,) = shares.extract("ESF väntas stå för 40-45% av kostnaderna.", CTX)
    assert (fact.text, fact.value, fact.attrs["range_max"]) == ("40-45%", 0.4, 0.45)
    assert fact.attrs["refers_to"] == "eu_share"


def test_own_cues_beat_eu_cues() -> None:
    (fact,) = shares.extract("Planerad medfinansieringsgrad från projekten är 53%.", CTX)
    assert fact.attrs["refers_to"] == "cofinancing"


def test_amount_without_currency_in_a_money_sentence() -> None:
    (fact,) = money.extract("Sedan 2008 har rådet delat ut över 300 miljoner till projekt.", CTX)
    assert (fact.value, fact.attrs["lower_bound"]) == (300_000_000, True)


def test_negated_cofinancing_is_not_a_cue() -> None:
    text = "I utlysningen avsätts cirka 35 miljoner kronor utan krav på medfinansiering."
    (fact,) = money.extract(text, CTX)
    assert fact.attrs["refers_to"] == "call"
