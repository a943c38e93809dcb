"""html_to_text: article pages through trafilatura, record pages block by block."""

from __future__ import annotations

from datetime import date

from projektatlas.sources.html import html_to_text

RECORD_DL = """<!doctype html><html><head><title>2020/00701 - Livslångt lärande</title>
<script>document.write('hemligt skript')</script><style>.x{color:red}</style></head>
<body><nav><a href="/">Meny</a></nav><h1>2020/00701 - Livslångt lärande</h1>
<dl><dt>Diarienummer:</dt><dd>2020/00701</dd><dt>Startdatum:</dt><dd></dd>
<dt>Projektägare:</dt><dd>Samordningsförbundet RAR Sörmland</dd>
<dt>Total projektbudget:</dt><dd>399&nbsp;819</dd></dl>
<p>Förstudien riktar sig till personer med svag ställning på arbetsmarknaden.</p>
</body></html>"""

RECORD_TABLE = """<html><body><table>
<tr><th>Diarienummer:</th><td>23-001-S01</td></tr>
<tr><th>Namn:</th><td>Lärande och Utveckling</td></tr>
<tr><th>Region:</th><td>Norra Mellansverige</td></tr>
<tr><th>Slutdatum:</th><td>2026-08-31</td></tr></table></body></html>"""

ARTICLE = """<html><head><title>Träff i Nässjö | Webbplatsen</title>
<meta property="article:published_time" content="2020-01-21T10:00:00">
<style>body{}</style></head><body>
<header><nav><ul><li>Start</li><li>Nyheter</li></ul></nav></header>
<div class="cookie">Den här hemsidan använder cookies. <button>Lär dig mer</button></div>
<main><article><h1>Välbesökt inspirationsträff</h1>
<p>I Nässjö genomfördes i januari en välbesökt träff för den som funderar på att söka medel
ur socialfonden för ett nytt projekt.</p>
<h2>Projekten presenterade sig</h2>
<ul><li>Bas Kalmar, projektledare Anna Åhman</li><li>Trappstegsmodellen i Tranemo</li></ul>
<p>Deltagarna diskuterade i grupper hur projekten kan planeras för att nå målgruppen bättre
och hur kartläggningen av deltagarna kan göras enklare.</p></article></main>
<footer>Kontakta oss</footer><script>var spårning = "skript-text";</script></body></html>"""


def test_record_definition_list_keeps_every_label_and_value_on_own_line():
    result = html_to_text(RECORD_DL)
    lines = result.text.splitlines()
    for line in (
        "Diarienummer:",
        "2020/00701",
        "Startdatum:",
        "Projektägare:",
        "Samordningsförbundet RAR Sörmland",
        "Total projektbudget:",
        "399 819",
    ):
        assert line in lines
    assert lines.index("Diarienummer:") + 1 == lines.index("2020/00701")
    assert "Förstudien riktar sig" in result.text
    assert result.title == "2020/00701 - Livslångt lärande"


def test_record_table_rows_keep_label_and_value():
    lines = html_to_text(RECORD_TABLE).text.splitlines()
    assert lines == [
        "Diarienummer:",
        "23-001-S01",
        "Namn:",
        "Lärande och Utveckling",
        "Region:",
        "Norra Mellansverige",
        "Slutdatum:",
        "2026-08-31",
    ]


def test_script_and_style_never_appear():
    for html in (RECORD_DL, ARTICLE):
        result = html_to_text(html)
        for secret in ("hemligt skript", "document.write", "color:red", "skript-text", "body{}"):
            assert secret not in result.text
            assert secret not in (result.removed or "")


def test_article_keeps_headings_paragraphs_and_list_items_as_lines():
    result = html_to_text(ARTICLE, url="https://example.se/nyheter/trff")
    lines = [line.lstrip("- ") for line in result.text.splitlines()]
    assert "Välbesökt inspirationsträff" in lines
    assert "Projekten presenterade sig" in lines
    assert "Bas Kalmar, projektledare Anna Åhman" in lines
    assert "Trappstegsmodellen i Tranemo" in lines
    assert any(line.startswith("I Nässjö genomfördes") for line in lines)
    assert "cookies" not in result.text
    assert "Kontakta oss" not in result.text
    assert result.title == "Träff i Nässjö | Webbplatsen"
    assert result.published == date(2020, 1, 21)
    assert result.removed is not None and "Kontakta oss" in result.removed


def test_empty_and_broken_input():
    assert html_to_text("").text == ""
    result = html_to_text("<p>Bara en rad</p>")
    assert "Bara en rad" in result.text


def test_control_characters_in_page_furniture_do_not_crash_the_fallback():
    """A form feed in text joined when a nav is dropped (found by the fuzzer) is a space."""
    page = (
        "<html><head><title>24-052-S01 - Hälsa i arbete</title></head><body>"
        "<div>Vi använder ka\x0ckor<nav><a href='/'>Start</a></nav> för att sidan ska fungera"
        "\x01</div><dl><dt>Diarienummer:</dt><dd>24-052-S01</dd>"
        "<dt>Namn:</dt><dd>Hälsa i arbete\ud800</dd></dl></body></html>"
    )
    result = html_to_text(page)  # a label/value page: the lxml fallback drops the nav
    assert "Diarienummer: 24-052-S01" in result.text or "24-052-S01" in result.text
    assert "för att sidan ska fungera" in result.text
    everything = result.text + (result.removed or "") + (result.title or "")
    assert not any(ch in everything for ch in "\x0c\x01\ud800")
