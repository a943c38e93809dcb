"""Encodings, whitespace, Unicode forms and odd values in records."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

from projektatlas.records import parse_record

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def _spans_ok(text, rec):
    return all(
        text[fv.start : fv.end] == fv.raw for fv in rec.fields.values() if fv.start is not None
    )


def test_cp1252_bytes_with_crlf_nbsp_and_trailing_spaces():
    text = (FIXTURES / "cp1252_crlf.txt").read_bytes().decode("cp1252")
    assert "\r\n" in text and "\u00a0" in text
    rec = parse_record(text)
    assert rec.layout == "2014-2020"
    assert rec.identity == "2018/00077"
    assert rec.get("name") == "Öppna dörrar"  # inline "Namn:  Öppna dörrar"
    assert rec.get("owner_name") == "Örebro läns bildningsförbund"
    assert rec.get("total_budget_sek") == 2480000
    assert rec.get("esf_support_sek") == 1240000
    assert rec.get("union_cofinancing_rate") == 0.5
    assert rec.get("start_date") == date(2018, 1, 8)  # "–" between the period's dates
    assert rec.get("end_date") == date(2020, 12, 31)
    assert rec.get("region") == "Östra Mellansverige"
    assert "\r" not in rec.get("description")
    assert not rec.get("description").endswith(" ")
    assert _spans_ok(text, rec)
    assert not any(fv.raw != fv.raw.strip() for fv in rec.fields.values())


def _record(lines: list[str], newline: str = "\n") -> str:
    return newline.join(lines) + newline


BASE = [
    "2017/00250 - Kliv in",
    "",
    "Diarienummer:",
    "2017/00250",
    "Namn:",
    "Kliv in",
    "Projektägare:",
    "Luleå kommun",
    "Region:",
    "Övre Norrland",
    "Beviljat ESF-stöd:",
    "3\u202f150\u202f000 kr",
    "Unionens medfinansieringsgrad:",
    "50%",
    "",
    "Ett projekt för nyanlända i Norrbotten.",
]


def test_narrow_nbsp_in_amount():
    rec = parse_record(_record(BASE))
    assert rec.get("esf_support_sek") == 3150000


def test_combining_characters_match_labels_and_keep_spans():
    text = unicodedata.normalize("NFD", _record(BASE))
    assert text != unicodedata.normalize("NFC", text)
    rec = parse_record(text)
    assert rec.identity == "2017/00250"
    assert rec.get("owner_name") == "Luleå kommun"  # value is NFC
    assert rec.get("region") == "Övre Norrland"
    assert rec.get("esf_support_sek") == 3150000  # "Beviljat ESF-stöd" matched in NFD
    assert _spans_ok(text, rec)


def test_utf8_read_as_cp1252_is_repaired_with_a_warning():
    text = _record(BASE).encode("utf-8").decode("cp1252", errors="replace")
    assert "Ã" in text
    rec = parse_record(text)
    assert rec.identity == "2017/00250"
    assert rec.get("owner_name") == "Luleå kommun"
    assert rec.get("region") == "Övre Norrland"
    assert rec.get("esf_support_sek") == 3150000
    assert any("CP1252" in w for w in rec.warnings)
    assert _spans_ok(text, rec)


def test_old_mac_line_endings():
    text = _record(BASE, "\r")
    rec = parse_record(text)
    assert rec.get("name") == "Kliv in"
    assert rec.get("description") == "Ett projekt för nyanlända i Norrbotten."


def test_invalid_org_number_is_a_warning_and_absent():
    lines = BASE[:-2] + ["Organisationsnummer:", "212000-1851", "", BASE[-1]]
    rec = parse_record(_record(lines))
    assert "owner_org_number" not in rec.fields
    assert any("organisation number" in w for w in rec.warnings)
    assert not any("1851" in w for w in rec.warnings)  # never echoed: may be a personnummer


def test_unknown_region_kept_with_warning_and_no_nuts2():
    lines = [line if line != "Övre Norrland" else "Nordkalotten" for line in BASE]
    rec = parse_record(_record(lines))
    assert rec.get("region") == "Nordkalotten"
    assert "nuts2" not in rec.fields
    assert any("unknown region" in w for w in rec.warnings)


def test_national_region_has_no_nuts2():
    lines = [line if line != "Övre Norrland" else "Nationellt" for line in BASE]
    rec = parse_record(_record(lines))
    assert rec.get("region") == "ESF Nationellt"
    assert "nuts2" not in rec.fields


def test_region_derived_from_nuts2():
    lines = [line if line != "Region:" else "NUTS-2 kod:" for line in BASE]
    lines = [line if line != "Övre Norrland" else "SE33" for line in lines]
    rec = parse_record(_record(lines))
    assert rec.get("nuts2") == "SE33"
    assert rec.get("region") == "Övre Norrland"
    assert rec.fields["region"].label == "derived"


def test_unparseable_values_are_absent_with_warnings():
    lines = BASE[:-2] + ["Startdatum:", "snart", "Antal deltagare:", "många", "", BASE[-1]]
    rec = parse_record(_record(lines))
    assert "start_date" not in rec.fields and "participants_planned" not in rec.fields
    assert any("start_date" in w for w in rec.warnings)
    assert any("participant" in w for w in rec.warnings)


def test_stated_dates_win_over_the_period():
    lines = BASE[:-2] + [
        "Startdatum:",
        "2017-09-01",
        "Projektperiod:",
        "2017-08-01 - 2019-12-31",
        "",
        BASE[-1],
    ]
    rec = parse_record(_record(lines))
    assert rec.get("start_date") == date(2017, 9, 1)
    assert rec.get("end_date") == date(2019, 12, 31)
    assert any("differs from the project period" in w for w in rec.warnings)


def test_swedish_month_names_in_a_period():
    lines = BASE[:-2] + ["Projektperiod:", "1 november 2011 till 30 juni 2014", "", BASE[-1]]
    rec = parse_record(_record(lines))
    assert rec.get("start_date") == date(2011, 11, 1)
    assert rec.get("end_date") == date(2014, 6, 30)


def test_value_on_the_same_line_as_its_label_and_blank_lines_between():
    text = (
        "23-011-S03 - Jobbspår\n\nDiarienummer: 23-011-S03\n\nNamn:\n\nJobbspår\n\n"
        "Region:\n\nStockholm\n\nProjektägare:\n\nStockholms stad\n\n"
        "En lång beskrivning av projektet som följer efter fälten.\n"
    )
    rec = parse_record(text)
    assert rec.get("name") == "Jobbspår"
    assert rec.get("region") == "Stockholm"
    assert rec.get("owner_name") == "Stockholms stad"
    assert rec.get("description") == "En lång beskrivning av projektet som följer efter fälten."


def test_table_cells_as_label_value_pairs():
    text = (
        "2016/00555 - Tabellprojektet\n\n| Diarienummer | 2016/00555 |\n"
        "| Projektägare | Umeå kommun |\n| Region | Övre Norrland |\n"
        "Total projektbudget\t1 000 000 kr\n\nKort beskrivning av projektet.\n"
    )
    rec = parse_record(text)
    assert rec.get("owner_name") == "Umeå kommun"
    assert rec.get("total_budget_sek") == 1000000
    assert rec.get("nuts2") == "SE33"
    assert _spans_ok(text, rec)


def test_description_directly_under_an_empty_last_label():
    prose = "Projektet ska " + "stärka samverkan mellan myndigheter och förbund, " * 6 + "i länet."
    lines = BASE[:-2] + ["Interventionstyp:", prose]
    rec = parse_record(_record(lines))
    assert "intervention_type" not in rec.fields
    assert rec.get("description") == prose


def test_project_number_gives_the_identity_when_no_diarienummer():
    text = (
        "Mötesplats Gotland\n\nProjektnummer\n2016/00987\nProjektägare\nRegion Gotland\n"
        "Region\nSmåland och öarna\nBeviljat ESF-stöd\n2 000 000 kr\n\nOm projektet i korthet.\n"
    )
    rec = parse_record(text)
    assert rec.layout == "2014-2020-web"
    assert rec.identity == "2016/00987"
    assert rec.get("diarienummer") == "2016/00987"
    assert rec.get("name") == "Mötesplats Gotland"
    assert rec.get("region") == "Småland och Öarna"
    assert _spans_ok(text, rec)


def test_markdown_heading_title_and_en_dash():
    text = "# 24-310-S05 – Ny start\n\nEn beskrivning av projektet.\n"
    rec = parse_record(text)
    assert rec.identity == "24-310-S05"
    assert rec.get("name") == "Ny start"
    assert _spans_ok(text, rec)


def test_fund_spelled_out():
    lines = BASE[:-2] + ["Berörd fond:", "Europeiska socialfonden+ (ESF+)", "", BASE[-1]]
    rec = parse_record(_record(lines))
    assert rec.get("fund") == "ESF+"


def test_placeholder_and_erased_values_count_as_empty():
    lines = BASE[:-2] + ["Startdatum:", "–", "Kontaktperson:", "▒▒▒▒ ▒▒▒▒▒", "", BASE[-1]]
    rec = parse_record(_record(lines))
    assert "start_date" not in rec.fields
    assert rec.persons == []
    assert not any("start_date" in w for w in rec.warnings)


def test_a_label_without_colon_amid_colon_labels():
    text = (
        "2016/00556 - Blandat\n\nDiarienummer: 2016/00556\nProjektägare: Umeå kommun\n"
        "Region\nÖvre Norrland\nTotal projektbudget:\n1 000 000 kr\nStartdatum\n2016-05-01\n\n"
        "Beskrivning här.\n"
    )
    rec = parse_record(text)
    assert rec.get("owner_name") == "Umeå kommun"
    assert rec.get("region") == "Övre Norrland"
    assert rec.get("total_budget_sek") == 1000000
    assert rec.get("start_date") == date(2016, 5, 1)
    assert rec.get("description") == "Beskrivning här."
