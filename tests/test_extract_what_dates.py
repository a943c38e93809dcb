"""Dates, periods and durations, with partial dates kept partial."""

from __future__ import annotations

from datetime import date

import pytest

from projektatlas.extract import dates
from projektatlas.extract.base import ExtractContext


def _facts(text: str, doc_date: date | None = None) -> list[tuple[str, str, object]]:
    return [
        (f.type, f.text, f.value) for f in dates.extract(text, ExtractContext(doc_date=doc_date))
    ]


def test_iso_date_and_written_date_with_year() -> None:
    assert _facts("Beslut 2023-09-01, möte 21 januari 2020.") == [
        ("date", "2023-09-01", "2023-09-01"),
        ("date", "21 januari 2020", "2020-01-21"),
    ]


def test_day_month_without_year_stays_partial() -> None:
    (fact,) = dates.extract("Projektet startar 1 september.", ExtractContext())
    assert fact.value == "XXXX-09-01"
    assert fact.attrs["partial"] is True
    assert (fact.attrs["month"], fact.attrs["day"]) == (9, 1)


def test_day_month_resolved_against_doc_date() -> None:
    (fact,) = dates.extract(
        "I Nässjö hölls den 14 januari en träff.", ExtractContext(date(2020, 1, 21))
    )
    assert (fact.text, fact.value) == ("den 14 januari", "2020-01-14")
    assert fact.attrs["year_source"] == "doc_date"


def test_doc_date_picks_the_nearest_year() -> None:
    (fact,) = dates.extract("Projektet startar den 1 mars.", ExtractContext(date(2023, 12, 5)))
    assert fact.value == "2024-03-01"


def test_year_written_earlier_in_the_sentence_wins() -> None:
    facts = _facts("Under 2019 startade vi den 1 mars arbetet.", date(2023, 1, 1))
    assert facts == [
        ("period", "Under 2019", {"start": "2019-01-01", "end": "2019-12-31"}),
        ("date", "den 1 mars", "2019-03-01"),
    ]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("hösten 2023", "2023-09-01", "2023-11-30"),
        ("våren 2016", "2016-03-01", "2016-05-31"),
        ("sommaren 2021", "2021-06-01", "2021-08-31"),
        ("vintern 2022", "2022-12-01", "2023-02-28"),
    ],
)
def test_seasons(text: str, start: str, end: str) -> None:
    (fact,) = dates.extract(f"Start planeras till {text}.", ExtractContext())
    assert fact.type == "period"
    assert fact.value == {"start": start, "end": end}
    assert "season" in fact.attrs


def test_season_without_year_uses_doc_date_or_stays_partial() -> None:
    text = "Under våren pågick förstudien."
    (known,) = dates.extract(text, ExtractContext(date(2016, 8, 25)))
    assert known.value == {"start": "2016-03-01", "end": "2016-05-31"}
    (unknown,) = dates.extract(text, ExtractContext())
    assert unknown.value == {"start": "XXXX-03-01", "end": "XXXX-05-31"}
    assert unknown.attrs["partial"] is True


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("mellan januari och juni 2016", "2016-01-01", "2016-06-30"),
        ("2021-02-01 - 2021-10-30", "2021-02-01", "2021-10-30"),
        ("2011-11-01 till 2014-06-30", "2011-11-01", "2014-06-30"),
        ("från 1 mars 2022 till 28 februari 2025", "2022-03-01", "2025-02-28"),
        ("oktober 2020 till juni 2021", "2020-10-01", "2021-06-30"),
        ("2014–2020", "2014-01-01", "2020-12-31"),
        ("mellan 2015 och 2018", "2015-01-01", "2018-12-31"),
        ("20–22 oktober 2021", "2021-10-20", "2021-10-22"),
        ("mars 2022", "2022-03-01", "2022-03-31"),
        ("under 2023", "2023-01-01", "2023-12-31"),
    ],
)
def test_periods(text: str, start: str, end: str) -> None:
    facts = _facts(f"Projektet pågår {text}.")
    assert facts == [("period", text, {"start": start, "end": end})]


def test_relative_year_needs_doc_date() -> None:
    text = "Cheferna träffades förra året."
    assert _facts(text) == []
    assert _facts(text, date(2024, 2, 10)) == [
        ("period", "förra året", {"start": "2023-01-01", "end": "2023-12-31"})
    ]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("treårigt", 36),
        ("tre år", 36),
        ("18 månader", 18),
        ("två och ett halvt år", 30),
        ("ett halvår", 6),
        ("1,5 år", 18),
    ],
)
def test_durations_in_months(text: str, months: int) -> None:
    (fact,) = dates.extract(f"Projektet är {text}.", ExtractContext())
    assert (fact.type, fact.text, fact.value) == ("duration", text, months)
    assert fact.attrs["unit"] == "month"


def test_weeks_keep_their_unit() -> None:
    (fact,) = dates.extract("Kursen är 20 veckor lång.", ExtractContext())
    assert (fact.value, fact.attrs["unit"]) == (20, "week")


@pytest.mark.parametrize(
    "text",
    [
        "Målgruppen är unga 16–24 år.",
        "Deltagarna är mellan 18 och 64 år.",
        "Personer över 50 år har svårt att få jobb.",
        "För 20 år sedan startade förbundet.",
        "Det gäller ärende 2019/00457 och lag (2003:1210).",
    ],
)
def test_ages_and_numbers_are_not_dates_or_durations(text: str) -> None:
    assert dates.extract(text, ExtractContext()) == []


def test_spans_match_text() -> None:
    text = "Start den 3 oktober, sedan hösten 2024 och ett treårigt arbete 2021-01-01–2023-12-31."
    for fact in dates.extract(text, ExtractContext(date(2024, 5, 1))):
        assert text[fact.start : fact.end] == fact.text


def test_year_written_shortly_after_in_the_sentence() -> None:
    facts = _facts("Projekten kan starta tidigast 1 februari och senast 1 april 2016.")
    assert ("date", "1 februari", "2016-02-01") in facts


def test_dateline_in_the_text_resolves_later_dates() -> None:
    text = "Publicerad 10 december 2019\n\nSamråd sker 29 november och beslut fattas därefter."
    (dateline, later) = dates.extract(text, ExtractContext())
    assert dateline.value == "2019-12-10"
    assert (later.value, later.attrs["year_source"]) == ("2019-11-29", "text_date")
    assert later.confidence < dateline.confidence


def test_comma_before_year() -> None:
    assert _facts("Publicerad 2 oktober, 2020.") == [("date", "2 oktober, 2020", "2020-10-02")]


def test_month_after_a_preposition_is_a_period() -> None:
    facts = _facts("Utlysningen stängde i mars.", date(2021, 6, 1))
    assert facts == [("period", "mars", {"start": "2021-03-01", "end": "2021-03-31"})]
    (partial,) = dates.extract("Utlysningen stängde i mars.", ExtractContext())
    assert partial.attrs["partial"] is True
    assert _facts("Mars är en planet.") == []
