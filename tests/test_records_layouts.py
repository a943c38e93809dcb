"""Each record layout, from fixtures written for these tests (tests/fixtures/records)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from projektatlas.records import parse_record

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _assert_spans(text, rec):
    for fv in rec.fields.values():
        if fv.start is not None:
            assert text[fv.start : fv.end] == fv.raw, fv.field
        else:
            assert fv.label == "derived", fv.field


def test_cookie_banner_and_navigation_before_the_title_are_skipped():
    text = _read("cookie_banner_2021.txt")
    rec = parse_record(text)
    assert rec.layout == "2021-2027"
    assert rec.identity == "22-017-S04"
    assert rec.get("name") == "Stegvis mot jobb"
    assert rec.get("owner_org_number") == "212000-2429"
    assert rec.get("union_cofinancing_rate") == 0.4
    assert rec.get("strategic_importance") is True
    assert rec.get("region") == "Västsverige"
    assert rec.get("nuts2") == "SE23"
    # Only the objective is given: the area is derived from it.
    assert rec.get("specific_objective") == "A2"
    assert rec.fields["programme_area"].value == "A"
    assert rec.fields["programme_area"].label == "derived"
    assert rec.fields["programme_area"].raw == "A2"
    assert any("skipped" in w for w in rec.warnings)
    description = rec.get("description")
    assert description.startswith("Projektet ska ge personer")
    assert "kakor" not in description and "Dela sidan" not in description
    assert "\n\n" in description
    _assert_spans(text, rec)


def test_fields_in_other_order_missing_and_empty():
    text = _read("reordered_missing.txt")
    rec = parse_record(text)
    assert rec.identity == "23-045-S02"
    assert rec.get("end_date") == date(2026, 12, 31)
    assert "start_date" not in rec.fields  # "Startdatum:" is empty, no Projektperiod
    assert "address" not in rec.fields  # empty label directly followed by the next label
    assert rec.get("city") == "Gävle"
    assert rec.get("programme_area") == "C"
    assert rec.get("child_poverty_theme") is True
    assert rec.get("fund") == "ESF+"
    assert rec.fields["fund"].label == "derived"
    assert "" not in [fv.value for fv in rec.fields.values()]
    _assert_spans(text, rec)


def test_label_variants_english_case_and_typo():
    text = _read("label_variants.txt")
    rec = parse_record(text)
    assert rec.layout == "2014-2020"
    assert rec.get("name") == "Vägen vidare"
    assert rec.fields["name"].label == "Name"
    assert rec.get("owner_name") == "Vetlanda kommun"
    assert rec.get("start_date") == date(2019, 8, 15)
    assert rec.get("end_date") == date(2021, 6, 30)
    assert rec.get("region") == "Småland och Öarna"
    assert rec.get("nuts2") == "SE21"
    assert rec.get("participants_planned") == 60
    assert rec.get("address") == "Storgatan 12"
    assert rec.fields["address"].label == "Stödmottagarens address"
    assert rec.get("postal_code") == "57480"
    assert rec.get("total_budget_sek") == 1250000
    assert any("Webbadress för sociala medier" in w for w in rec.warnings)
    _assert_spans(text, rec)


def test_contact_name_phone_and_email_form_one_person_not_fields():
    text = _read("label_variants.txt")
    rec = parse_record(text)
    assert len(rec.persons) == 1
    p = rec.persons[0]
    assert (p.name, p.phone, p.email, p.role) == (
        "Lena Åberg",
        "0383-123 45",
        "lena.aberg@example.se",
        "kontaktperson",
    )
    span = text[p.start : p.end]
    assert span.startswith("Lena Åberg") and span.endswith("lena.aberg@example.se")
    values = " ".join(str(fv.value) for fv in rec.fields.values())
    assert "Åberg" not in values and "0383" not in values and "@" not in values


def test_web_layout_labels_without_colons():
    text = _read("web_2014.txt")
    rec = parse_record(text)
    assert rec.layout == "2014-2020-web"
    assert rec.identity == "2015/00311"
    assert rec.get("name") == "Unga till arbete i norr"
    assert rec.get("specific_objective") == "3.1"
    assert rec.get("programme_area") == "3"
    assert rec.get("programme_area_label") == "Sysselsättningsinitiativet för unga"
    assert rec.get("start_date") == date(2015, 5, 1)
    assert rec.get("end_date") == date(2018, 6, 30)
    assert rec.get("esf_support_sek") == 4812500
    assert rec.get("total_budget_sek") == 9625000
    assert rec.get("call_diarienummer") == "2015/00123"
    assert rec.get("participants_planned") == 320
    assert rec.get("nuts2") == "SE33"
    assert rec.get("description").startswith("Målet är att unga")
    _assert_spans(text, rec)


def test_glued_labels_of_2007_2013():
    text = _read("glued_2007_a.txt")
    rec = parse_record(text)
    assert rec.layout == "2007-2013"
    assert rec.get("name") == "Reload"
    assert rec.get("project_phase") == "Genomförande"
    assert rec.get("owner_name") == "Reload AB"
    assert rec.get("owner_org_number") == "556677-8899"
    assert rec.get("esf_support_sek") == 27129996
    assert rec.get("start_date") == date(2009, 3, 1)
    assert rec.get("end_date") == date(2010, 12, 31)
    assert rec.get("programme_area") == "2"
    assert rec.get("programme_area_label") == "Ökat arbetskraftsutbud"
    assert rec.get("programme_period") == "2007-2013"
    assert "fund" not in rec.fields and "diarienummer" not in rec.fields
    assert rec.identity == "2007-2013:reload:reload-ab:2009-03-01"
    (person,) = rec.persons
    assert (person.name, person.phone) == ("Per Lindqvist", "08-123 45 67")
    assert "08-123" not in " ".join(str(fv.value) for fv in rec.fields.values())
    _assert_spans(text, rec)


def test_same_name_and_owner_in_two_periods_are_two_projects_and_stable():
    a = parse_record(_read("glued_2007_a.txt"))
    b = parse_record(_read("glued_2007_b.txt"))
    assert a.identity != b.identity
    assert b.identity == "2007-2013:reload:reload-ab:2010-09-01"
    assert parse_record(_read("glued_2007_a.txt")).identity == a.identity


def test_title_only_layout():
    text = _read("title_only.txt")
    rec = parse_record(text)
    assert rec.layout == "2021-2027-title-only"
    assert rec.identity == "25-023-S02"
    assert rec.get("name") == "Arbetscoacher"
    assert rec.fields["diarienummer"].label == "title"
    assert rec.get("programme_period") == "2021-2027"
    assert rec.get("fund") == "ESF+"
    paragraphs = rec.get("description").split("\n\n")
    assert len(paragraphs) == 2
    _assert_spans(text, rec)


def test_title_only_under_site_navigation():
    text = "Start\nKontakt\nMeny\n\n" + _read("title_only.txt")
    rec = parse_record(text)
    assert rec.layout == "2021-2027-title-only"
    assert rec.identity == "25-023-S02"
    _assert_spans(text, rec)


def test_glued_record_under_a_cookie_banner():
    banner = "Vi använder kakor för statistik.\nAcceptera alla cookies\n\n"
    text = banner + _read("glued_2007_a.txt")
    rec = parse_record(text)
    assert rec.layout == "2007-2013"
    assert rec.get("name") == "Reload"
    assert rec.identity == parse_record(_read("glued_2007_a.txt")).identity
    _assert_spans(text, rec)


def test_glued_summary_label_starts_the_description():
    text = (
        "Reload\nProjektägareReload AB\nRegionStockholm\n"
        "Projektperiod2009-03-01 till 2010-12-31\nSammanfattningReload hjälper arbetslösa.\n"
        "Metoden bygger på coachning.\n\nAndra stycket.\n"
    )
    rec = parse_record(text)
    assert rec.layout == "2007-2013"
    assert rec.get("description") == (
        "Reload hjälper arbetslösa.\nMetoden bygger på coachning.\n\nAndra stycket."
    )
    _assert_spans(text, rec)
