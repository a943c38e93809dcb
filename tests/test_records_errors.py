"""NotARecord for other texts, RecordParseError for broken records."""

from __future__ import annotations

from pathlib import Path

import pytest

from projektatlas.records import NotARecord, RecordParseError, parse_record

FIXTURES = Path(__file__).parent / "fixtures" / "records"


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_news_text_is_not_a_record():
    with pytest.raises(NotARecord):
        parse_record(_read("news_like.txt"))


@pytest.mark.parametrize("text", ["", "   \n\n", "Meny\nSök\nLogga in\n", "Hej!"])
def test_empty_or_menu_only_text_is_not_a_record(text):
    with pytest.raises(NotARecord):
        parse_record(text)


def test_news_with_a_contact_block_is_not_a_record():
    text = (
        "Nytt samarbete i Dalarna\n\nFörbunden i länet ska arbeta tillsammans under två år.\n\n"
        "Kontaktperson:\nAnna Berg\nE-post:\nanna.berg@example.se\nTelefon:\n070-123 45 67\n"
    )
    with pytest.raises(NotARecord):
        parse_record(text)


def test_truncated_label_block_raises_with_a_reason():
    with pytest.raises(RecordParseError) as info:
        parse_record(_read("truncated_block.txt"))
    assert "truncated" in info.value.reason
    assert "Startdatum" in info.value.reason


def test_cut_off_diarienummer_in_title_raises():
    with pytest.raises(RecordParseError) as info:
        parse_record(_read("broken_title.txt"))
    assert "24-102-S" in info.value.reason and "title" in info.value.reason


@pytest.mark.parametrize("title", ["2020/0070 - Livslångt lärande", "23-001-S0"])
def test_other_malformed_titles_raise(title):
    with pytest.raises(RecordParseError):
        parse_record(title + "\n\nDiarienummer:\n2020/00701\nNamn:\nX\nRegion:\nStockholm\n")


def test_diarienummer_field_disagreeing_with_title_raises():
    with pytest.raises(RecordParseError) as info:
        parse_record(_read("dnr_mismatch.txt"))
    assert "24-102-S07" in info.value.reason and "24-102-S01" in info.value.reason


def test_malformed_diarienummer_field_raises():
    text = _read("dnr_mismatch.txt").replace("24-102-S07", "24-102")
    with pytest.raises(RecordParseError):
        parse_record(text)


def test_title_line_alone_is_truncated():
    with pytest.raises(RecordParseError):
        parse_record("25-023-S02 - Arbetscoacher\n")


def test_label_block_without_title_that_stops_early_is_truncated():
    with pytest.raises(RecordParseError):
        parse_record("Diarienummer:\n23-001-S01\nNamn:\n")


def test_glued_record_ending_on_an_empty_label_is_truncated():
    text = "Reload\nProjektfasGenomförande\nProjektägareReload AB\nRegionStockholm\nProjektperiod\n"
    with pytest.raises(RecordParseError):
        parse_record(text)


def test_labelled_fields_without_any_diarienummer_raise():
    text = "Namn:\nX\nRegion:\nStockholm\nProjektägare:\nY AB\nAntal deltagare:\n5\n\nText.\n"
    with pytest.raises(RecordParseError) as info:
        parse_record(text)
    assert "diarienummer" in info.value.reason


def test_complete_record_whose_last_label_is_empty_only_warns():
    text = (
        "2020/00701 - Livslångt lärande\n\nDiarienummer:\n2020/00701\nNamn:\nLivslångt lärande\n"
        "Region:\nStockholm\nProjektägare:\nX\nAntal deltagare:\n12\nInterventionstyp:\n"
    )
    rec = parse_record(text)
    assert "intervention_type" not in rec.fields
    assert any("Interventionstyp" in w for w in rec.warnings)


def test_call_for_proposals_page_is_not_a_record():
    with pytest.raises(NotARecord) as info:
        parse_record(_read("call_page.txt"))
    assert "call" in info.value.reason


def test_news_mentioning_a_project_title_line_is_not_a_record():
    text = (
        "Nyheter\n\nFörbundet har fått nytt projekt beviljat av Europeiska socialfonden och "
        "arbetet startar redan i vår med fyra anställda coacher.\n\n"
        "23-001-S01 - Lärande och utveckling\n\n"
        "Projektet pågår i tre år och omfattar tolv förbund i regionen.\n"
    )
    with pytest.raises(NotARecord):
        parse_record(text)


def test_news_with_a_season_number_is_not_a_broken_record():
    text = (
        "Årets verksamhet\n\nUnder året har förbundet arbetat vidare med de insatser som "
        "styrelsen beslutade om i början av perioden.\n\n2016/17 - en bra säsong\n\n"
        "Fler deltagare än någonsin gick vidare till arbete eller studier.\n"
    )
    with pytest.raises(NotARecord):
        parse_record(text)
