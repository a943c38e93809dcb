"""clean_text: every rule removes its furniture and leaves article/record text alone."""

from __future__ import annotations

import re

import pytest

from projektatlas.extract.clean import BLOCK_RULES, LINE_RULES, clean_text, matching_rule
from tests.conftest import seed_path

# one example line per line rule
LINE_EXAMPLES = {
    "cookie_notice": "Webbplatsen använder cookies för att du ska få en bättre upplevelse.",
    "cookie_more": "Läs mer om kakor (cookies).",
    "cookie_button": "Godkänn alla cookies",
    "actions": "Actions",
    "loading": "Loading...",
    "print_logo": "Logotyp på utskrifter",
    "close": "Stäng",
    "menu": "Meny",
    "search": "Sök",
    "share": "Dela på Facebook",
    "breadcrumb": "Start > Nyheter > Avslutad förstudie",
    "information_count": "information (1)",
    "read_more_arrow": "> Läs mer om projektet",
    "to_top": "Till toppen",
    "print": "Skriv ut",
    "listen": "Lyssna",
    "skip_to_content": "Hoppa till innehåll",
}

BODY_LINES = [
    "Projektet ska stänga klyftan mellan myndigheterna.",
    "Deltagarna fick dela erfarenheter med varandra i Sörmland.",
    "Diarienummer:",
    "Namn:",
    "Sök medel senast den 1 mars, säger projektledaren.",
    "Meny och mat diskuterades inte på mötet.",
    "Vi använder metoden Supported employment i hela länet.",
    "Region:",
    "Norra Mellansverige",
    "Start för projekten planeras till hösten 2023.",
    "Kontaktperson:",
]


def test_every_line_rule_has_an_example():
    assert set(LINE_EXAMPLES) == {name for name, _ in LINE_RULES}


@pytest.mark.parametrize(("name", "line"), sorted(LINE_EXAMPLES.items()))
def test_line_rule_removes_its_example(name, line):
    assert matching_rule(line) == name
    result = clean_text(f"Första stycket.\n{line}\nAndra stycket.")
    assert result.text == "Första stycket.\nAndra stycket."
    assert result.removed == [line]


@pytest.mark.parametrize("line", BODY_LINES)
def test_body_and_record_lines_are_kept(line):
    assert matching_rule(line) is None
    assert clean_text(line).text == line


def test_block_rules_are_named():
    assert {name for name, _ in BLOCK_RULES} == {"cookie_banner", "actions_loading"}


def test_cookie_banner_block_with_heading_and_button_goes():
    text = (
        "Cookies\n\nVi använder kakor för att webbplatsen ska fungera bra för dig.\n\n"
        "Jag förstår\n\nNyheten börjar här."
    )
    result = clean_text(text)
    assert result.text == "Nyheten börjar här."
    assert len(result.removed) == 1 and result.removed[0].startswith("Cookies")


def test_heading_cookies_without_a_cookie_sentence_stays():
    text = "Cookies\nEn sida om bakning av kakor för nybörjare börjar här"
    assert "Cookies" in clean_text("Cookies\nKokboken säljs i butiken.").text
    assert clean_text(text).text.startswith("Cookies")


def test_three_or_more_blank_lines_collapse():
    assert clean_text("A\n\n\n\n\nB\n\nC").text == "A\n\nB\n\nC"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("prefix", ["001", "003"])
def test_records_change_only_in_whitespace(prefix):
    raw = seed_path(prefix).read_text(encoding="utf-8")
    result = clean_text(raw)
    assert _normalise(result.text) == _normalise(raw)
    assert result.removed == []


def test_seed_002_loses_navigation_and_cookie_notice_but_keeps_body():
    raw = seed_path("002").read_text(encoding="utf-8")
    text = clean_text(raw).text
    lines = [line.strip() for line in text.splitlines()]
    assert "Actions" not in lines and "Loading..." not in lines
    assert "cookies" not in text.lower()
    for sentence in (
        "Förstudien är nu klar och vad gäller finansiell samordning (Finsam)",
        "berättar Carina Cannertoft, projektledare på SKL",
        "Från vänster, Carina Cannertoft och Stellan Berglund",
        "Rapport – Finsams roll i framtidens välfärd",
        "Även dessa utvecklingsområden är sedan tidigare kända",
    ):
        assert sentence in text
    # every non-furniture paragraph survives
    kept = {p.strip() for p in raw.split("\n") if len(p.strip()) > 60 and "cookies" not in p}
    assert all(p in text for p in kept)


def test_seed_004_loses_banner_and_keeps_every_paragraph():
    raw = seed_path("004").read_text(encoding="utf-8")
    result = clean_text(raw)
    text = result.text
    assert "information (1)" not in text
    assert "cookies" not in text.lower()
    assert "Lär dig mer" not in text
    assert text.startswith("Välbesökt inspirationsträff för potentiella projektägare")
    for sentence in (
        "I Nässjö genomfördes den 14 januari",
        "• Bas Kalmar, projektledare Anna Åhman",
        "Projektägare är Vetlanda kommun.",
        "Vilka utmaningar har den aktuella målgruppen?",
    ):
        assert sentence in text
    body = raw[raw.index("Välbesökt") :]
    assert _normalise(text) == _normalise(body)
