"""End to end in Chromium: search → facet → project → organisation → export; script stays text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.browser.conftest import ARTIFACTS
from tests.web_support import xss_document_id


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_search_facet_project_organisation_export(page, live_server):
    base = live_server["url"]
    page.goto(base + "/")
    shot(page, "01-start")
    page.get_by_label("Sökord").fill("samordningsförbund Värmland")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_url("**/search?*")
    shot(page, "02-search")
    total_before = page.locator(".hit").count()
    assert total_before >= 1
    facet = page.locator(".facets input[name=esf_region][value='Norra Mellansverige']")
    facet_value = facet.get_attribute("value")
    facet.check()  # app.js submits the form on change
    page.wait_for_url(f"**/search?*{facet.get_attribute('name')}=*")
    assert page.locator(".facets input[type=checkbox]:checked").count() == 1
    shot(page, "03-facet")
    assert facet_value
    hits = page.locator(".hit h3 a")
    titles = [hits.nth(i).inner_text() for i in range(hits.count())]
    assert titles
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV (Excel)").click()
    raw = Path(info.value.path()).read_bytes()
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert [r["title"] for r in rows][: len(titles)] == titles
    project_hits = page.locator(".hit h3 a[href^='/projects/']")
    assert project_hits.count() >= 1
    project_hits.first.click()
    page.wait_for_url("**/projects/*")
    assert page.locator("table.fields").count() == 1
    shot(page, "04-project")
    owner = page.locator("table.fields a[href^='/organisations/']").first
    owner_name = owner.inner_text()
    owner.click()
    page.wait_for_url("**/organisations/*")
    assert page.locator("h1").inner_text() == owner_name
    shot(page, "05-organisation")


def test_project_23_001_s01_page(page, live_server):
    page.goto(live_server["url"] + "/projects/23-001-S01")
    text = page.locator("main").inner_text()
    assert "Karlstads kommun" in text and "212000-1850" in text
    assert "Norra Mellansverige" in text
    shot(page, "06-project-23-001-S01")


def test_analytics_and_english(page, live_server):
    page.goto(live_server["url"] + "/analytics")
    assert page.locator("svg.map-svg path").count() == 42
    shot(page, "07-analytics")
    page.get_by_role("link", name="In English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Statistics"
    page.goto(live_server["url"] + "/")
    assert page.locator("html").get_attribute("lang") == "en"  # kept in a cookie


def test_script_in_document_does_not_run(page, live_server):
    from projektatlas.store.db import session_scope

    with session_scope(live_server["engine"]) as s:
        doc_id = xss_document_id(s)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server['url']}/documents/{doc_id}")
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == []
    assert "<script>window.__xss = 1; alert(1)</script>" in page.locator(".doctext").inner_text()
    shot(page, "08-document-xss")
