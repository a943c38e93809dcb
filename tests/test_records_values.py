"""Label table, region table and value readers used by the record parser."""

from __future__ import annotations

from datetime import date

import pytest

from projektatlas.records import parse_record, slug
from projektatlas.records.labels import fold, longest_prefix, lookup, lookup_fuzzy
from projektatlas.records.regions import canonical_nuts2, canonical_region, nuts2_for_region
from projektatlas.records.text_repair import looks_mojibake, repair
from projektatlas.records.values import (
    normalise_diarienummer,
    parse_area,
    parse_objective,
    parse_period,
    parse_yes_no,
)


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Projektägare organisationsnummer:", "owner_org_number"),
        ("PROJEKTÄGARE", "owner_name"),
        ("Project owner", "owner_name"),
        ("Start date", "start_date"),
        ("Planerat antal deltagare", "participants_planned"),
        ("Antal deltagare", "participants_planned"),
        ("Stödmottagarens address", "address"),
        ("Sekundärtema – motverka barnfattigdom", "child_poverty_theme"),
        ("NUTS-2 kod", "nuts2"),
        ("Kontaktperson", "contact_name"),
        ("Projekta\u0308gare", "owner_name"),  # combining diaeresis
        ("ProjektÃ¤gare", "owner_name"),  # UTF-8 read as CP1252
    ],
)
def test_label_variants_map_to_one_field(label, field):
    assert lookup(label) == field


def test_unknown_label_and_fuzzy_typo():
    assert lookup("Favoritfärg") is None
    assert lookup_fuzzy("Stödmotagarens postnummer") == ("postal_code", "stodmottagarenspostnummer")
    assert lookup_fuzzy("Färg") is None


def test_fold_keeps_positions_for_spans():
    folded = fold("Projektägare:")
    assert folded.key == "projektagare"
    assert folded.positions[-1] == len("Projektägare") - 1


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [
        ("ProjektfasGenomförande", "project_phase", "Genomförande"),
        ("Beviljat ESF-stöd27 129 996 kr", "esf_support_sek", "27 129 996 kr"),
        ("Projektperiod2011-11-01 till 2014-06-30", "_period", "2011-11-01 till 2014-06-30"),
        ("ProgramområdeProgramområde 2 Ökat", "programme_area", "Programområde 2 Ökat"),
        ("Telefonnummer08-123 45 67", "contact_phone", "08-123 45 67"),
        ("Organisationsnummer556677-8899", "owner_org_number", "556677-8899"),
    ],
)
def test_longest_prefix_splits_glued_labels(line, field, value):
    match = longest_prefix(line)
    assert match is not None and match.field == field
    assert line[match.label_end :] == value


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Småland & Öarna", "Småland och Öarna"),
        ("Småland och öarna", "Småland och Öarna"),
        ("ESF Nationellt", "ESF Nationellt"),
        ("Nationellt", "ESF Nationellt"),
        ("norra mellansverige", "Norra Mellansverige"),
        ("ESF Västsverige", "Västsverige"),
        ("Atlantis", None),
    ],
)
def test_region_spellings(text, region):
    assert canonical_region(text) == region


def test_region_nuts2_table_is_complete_and_national_has_none():
    codes = {nuts2_for_region(r) for r in (
        "Övre Norrland", "Mellersta Norrland", "Norra Mellansverige", "Stockholm",
        "Östra Mellansverige", "Småland och Öarna", "Sydsverige", "Västsverige",
    )}  # fmt: skip
    assert codes == {"SE33", "SE32", "SE31", "SE11", "SE12", "SE21", "SE22", "SE23"}
    assert nuts2_for_region("ESF Nationellt") is None
    assert canonical_nuts2("se 31") == "SE31"
    assert canonical_nuts2("SE0") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A", ("A", None, None)),
        ("A1B", ("A", "A1B", None)),
        ("C1", ("C", "C1", None)),
        ("1.1", ("1", "1.1", None)),
        ("2:1", ("2", "2.1", None)),
        (
            "3.1 Sysselsättningsinitiativet för unga",
            ("3", "3.1", "Sysselsättningsinitiativet för unga"),
        ),
        ("Programområde 2 Ökat arbetskraftsutbud", ("2", None, "Ökat arbetskraftsutbud")),
        ("Arbetsmarknad", None),
    ],
)
def test_programme_area_codes(text, expected):
    assert parse_area(text) == expected


def test_objective_requires_an_objective_code():
    assert parse_objective("A") is None
    assert parse_objective("A2") == ("A2", None)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021-02-01 - 2021-10-30", date(2021, 2, 1), date(2021, 10, 30)),
        ("2015-05-01-2018-06-30", date(2015, 5, 1), date(2018, 6, 30)),
        ("2011-11-01 till 2014-06-30", date(2011, 11, 1), date(2014, 6, 30)),
        ("2011-11-01 – 2014-06-30", date(2011, 11, 1), date(2014, 6, 30)),
    ],
)
def test_periods(text, start, end):
    first, second = parse_period(text)
    assert (first.value, second.value) == (start, end)
    assert text[first.start : first.end] == start.isoformat()


def test_period_rejects_non_periods():
    assert parse_period("2021-02-01") is None
    assert parse_period("2021-02-01 och sedan 2021-10-30") is None
    assert parse_period("2021-02-30 - 2021-10-30") is None


def test_diarienummer_forms():
    assert normalise_diarienummer("23-001-s01") == "23-001-S01"
    assert normalise_diarienummer(" 2020/00701 ") == "2020/00701"
    assert normalise_diarienummer("2020/0070") is None
    assert normalise_diarienummer("23-001-S1") is None


def test_yes_no():
    assert parse_yes_no("Ja") is True
    assert parse_yes_no("NEJ") is False
    assert parse_yes_no("Kanske") is None


def test_slug_is_ascii_and_stable():
    assert slug("Reload AB") == "reload-ab"
    assert slug("Östra  Göinge kommun") == "ostra-goinge-kommun"


def test_mojibake_repair_only_when_it_is_mojibake():
    bad = "Projektägare Östra".encode().decode("cp1252")
    assert looks_mojibake(bad)
    assert repair(bad) == "Projektägare Östra"
    assert not looks_mojibake("Projektägare Östra Småland")


def test_contact_person_lines_split_into_name_email_phone():
    text = (
        "2016/00123 - Vidga vyerna\n\nDiarienummer:\n2016/00123\nProjektägare:\nMora kommun\n"
        "Region:\nNorra Mellansverige\nKontaktperson:\nEva Holm\neva.holm@example.se\n"
        "0250-123 456\nAntal deltagare:\n30\n\nBeskrivning av projektet.\n"
    )
    rec = parse_record(text)
    (person,) = rec.persons
    assert (person.name, person.email, person.phone) == (
        "Eva Holm",
        "eva.holm@example.se",
        "0250-123 456",
    )
    assert rec.get("participants_planned") == 30


def test_personal_data_in_a_non_personal_field_is_not_stored():
    text = (
        "2016/00124 - Steget\n\nDiarienummer:\n2016/00124\nProjektägare:\nMora kommun\n"
        "Region:\nNorra Mellansverige\nStödmottagare ort:\nMora, ring 070-123 45 67\n\nText.\n"
    )
    rec = parse_record(text)
    assert "city" not in rec.fields
    assert any("personal data" in w for w in rec.warnings)


def test_description_before_the_fields_is_kept():
    text = (
        "22-003-S01 - Bron\n\nProjektet bygger broar mellan skola och arbetsliv för unga i "
        "Malmö, med stöd av mentorer och lokala företag som tar emot praktikanter.\n\n"
        "Diarienummer:\n22-003-S01\nProjektägare:\nMalmö stad\nRegion:\nSydsverige\n"
        "Specifikt mål:\nA1B\n"
    )
    rec = parse_record(text)
    assert rec.layout == "2021-2027"
    assert rec.get("owner_name") == "Malmö stad"
    assert rec.get("description").startswith("Projektet bygger broar")
