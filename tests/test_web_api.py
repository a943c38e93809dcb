"""The JSON API: shapes equal the service functions, limits, errors, exports, security."""

from __future__ import annotations

import csv
import io
import json

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from projektatlas.service import find_project, project_json, stats
from projektatlas.store.db import open_store, session_scope
from projektatlas.web.app import create_app
from projektatlas.web.security import TOKEN_ENV
from tests.conftest import SEEDS
from tests.web_support import ingest_all, install_fake_search, xss_document_id

if not SEEDS.is_dir():
    pytest.skip(f"seeds not found at {SEEDS}", allow_module_level=True)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web")
    engine = open_store(f"sqlite:///{tmp / 'web.db'}")
    ingest_all(engine, tmp / "fixtures")
    yield engine
    engine.dispose()


@pytest.fixture
def client(store, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    with TestClient(create_app(engine=store)) as c:
        yield c


def test_project_by_urlencoded_diarienummer_equals_show_json(client, store):
    response = client.get("/api/projects/2020%2F00701")
    assert response.status_code == 200
    with session_scope(store) as s:
        expected = project_json(s, find_project(s, "2020/00701"))
    assert response.json() == json.loads(json.dumps(expected, default=str))
    assert client.get("/api/projects/23-001-S01").json()["owner"]["name"] == "Karlstads kommun"


def test_unknown_project_is_404_json(client):
    response = client.get("/api/projects/1999%2F99999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "1999/99999" in response.json()["detail"]


def test_project_list_is_paged_and_limited(client):
    page = client.get("/api/projects?limit=2&offset=1").json()
    assert (page["limit"], page["offset"], len(page["items"])) == (2, 1, 2)
    assert page["total"] >= 3
    too_big = client.get("/api/projects?limit=101")
    assert too_big.status_code == 422
    assert isinstance(too_big.json()["detail"], str) and "limit" in too_big.json()["detail"]


def test_stats_equal_service(client, store):
    with session_scope(store) as s:
        assert client.get("/api/stats").json() == stats(s)


def test_document_api_leaves_out_personal_data(client, store):
    from projektatlas.store.schema import Document, Person

    with session_scope(store) as s:
        from sqlalchemy import select

        emails = [e for e in s.scalars(select(Person.email)).all() if e]
        names = [n for n in s.scalars(select(Person.name)).all() if n]
        doc_ids = s.scalars(select(Document.id)).all()
    assert emails, "the seeds name a contact e-mail"
    for doc_id in doc_ids:
        body = client.get(f"/api/documents/{doc_id}").text
        assert not any(e in body for e in emails)
        assert not any(n in body for n in names)
        assert all(not f["personal"] for f in json.loads(body)["facts"])


def test_script_in_document_is_text_not_markup(client, store):
    with session_scope(store) as s:
        doc_id = xss_document_id(s)
    assert doc_id is not None
    api = client.get(f"/api/documents/{doc_id}").json()
    assert "<script>" in api["text"]
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200
    assert "<script>window.__xss" not in page.text
    assert "&lt;script&gt;window.__xss = 1; alert(1)&lt;/script&gt;" in page.text
    assert "<img src=x" not in page.text
    assert "å, ä och ö" in page.text


def test_security_headers_on_pages_api_and_errors(client):
    for url in ("/", "/api/stats", "/api/projects/nope", "/static/style.css"):
        headers = client.get(url).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"]


def test_pages_have_no_inline_script_or_style(client, store):
    with session_scope(store) as s:
        doc_id = xss_document_id(s)
    for url in (
        "/",
        "/search",
        "/projects/1",
        "/organisations/1",
        "/analytics",
        f"/documents/{doc_id}",
    ):
        html = client.get(url).text
        assert "<script>" not in html and "style=" not in html and " onclick" not in html, url


def test_writes_need_the_operator_token(client, monkeypatch):
    body = {"a": "23-001-S01", "b": "doc:1"}
    refused = client.post("/api/links/confirm", json=body)
    assert refused.status_code == 403 and "token" in refused.json()["detail"]
    monkeypatch.setenv(TOKEN_ENV, "hemligt-123")
    assert client.post("/api/links/confirm", json=body).status_code == 403
    wrong = {"Authorization": "Bearer fel"}
    assert client.post("/api/links/confirm", json=body, headers=wrong).status_code == 403
    right = {"Authorization": "Bearer hemligt-123"}
    assert client.post("/api/links/confirm", json=body, headers=right).status_code != 403
    assert client.post("/api/links/maybe", json=body, headers=right).status_code == 404


def test_search_without_service_says_index_missing(client, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "projektatlas.search.service", None)
    response = client.get("/api/search?q=lärande")
    assert response.status_code == 503
    assert response.json()["detail"] == "sökindex saknas"
    page = client.get("/search?q=lärande")
    assert page.status_code == 200 and "Sökindex saknas" in page.text


def test_search_json_is_the_service_dict_and_filters_pass_through(client, store, monkeypatch):
    fake = install_fake_search(monkeypatch)
    url = "/api/search?q=kommun&esf_region=Norra+Mellansverige&sort=newest&limit=5"
    got = client.get(url).json()
    with session_scope(store) as s:
        expected = fake.search(
            s, q="kommun", filters={"esf_region": ["Norra Mellansverige"]}, limit=5, sort="newest"
        )
    assert got == json.loads(json.dumps(expected))
    assert got["total"] >= 1 and all(h["region"] == "Norra Mellansverige" for h in got["hits"])


def test_search_limits(client, monkeypatch):
    install_fake_search(monkeypatch)
    assert client.get("/api/search?q=" + "a" * 501).status_code == 422
    assert client.get("/api/search?limit=0").status_code == 422
    assert client.get("/api/search?sort=random").status_code == 422
    assert client.get("/api/export?format=xls").status_code == 422
    assert client.get("/api/export?limit=10001").status_code == 422


def test_search_page_escapes_snippets_and_marks_highlights(client, monkeypatch):
    install_fake_search(monkeypatch)
    html = client.get("/search?q=kommun").text
    assert "<mark>kommun</mark>" in html
    assert "&lt;b&gt;före&lt;/b&gt;" in html and "<b>före</b>" not in html
    assert 'name="esf_region"' in html and "Norra Mellansverige" in html


def test_export_csv_rows_equal_filtered_results(client, store, monkeypatch):
    fake = install_fake_search(monkeypatch)
    query = "q=kommun&esf_region=Norra+Mellansverige"
    response = client.get(f"/api/export?{query}&format=csv")
    assert response.status_code == 200
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    with session_scope(store) as s:
        hits = fake.search(
            s, q="kommun", filters={"esf_region": ["Norra Mellansverige"]}, limit=10000
        )["hits"]
    assert [int(r["id"]) for r in rows] == [h["id"] for h in hits]
    assert [r["title"] for r in rows] == [h["title"] for h in hits]
    assert any("Lärande" in r["title"] for r in rows)
    assert "contact_emails" not in rows[0]


def test_export_json_and_parquet_match_csv(client, monkeypatch):
    install_fake_search(monkeypatch)
    as_json = client.get("/api/export?q=kommun&format=json").json()
    table = pq.read_table(io.BytesIO(client.get("/api/export?q=kommun&format=parquet").content))
    assert [r["id"] for r in as_json["rows"]] == table.column("id").to_pylist()
    assert as_json["total"] == len(as_json["rows"]) > 0


def test_export_with_personal_data_needs_token(client, monkeypatch):
    install_fake_search(monkeypatch)
    assert client.get("/api/export?q=&include_personal=1").status_code == 403
    monkeypatch.setenv(TOKEN_ENV, "hemligt-123")
    ok = client.get(
        "/api/export?q=&include_personal=1&format=json",
        headers={"Authorization": "Bearer hemligt-123"},
    )
    assert ok.status_code == 200 and "contact_emails" in ok.json()["rows"][0]


def test_every_page_has_a_json_twin(client, store, monkeypatch):
    install_fake_search(monkeypatch)
    with session_scope(store) as s:
        doc_id = xss_document_id(s)
    twins = {
        "/": "stats",
        "/search?q=kommun": "result",
        "/projects/23-001-S01": "project",
        "/organisations/1": "organisation",
        "/analytics": "analytics",
        f"/documents/{doc_id}": "document",
    }
    for url, key in twins.items():
        sep = "&" if "?" in url else "?"
        data = client.get(f"{url}{sep}format=json").json()
        assert key in data, url
    project = client.get("/projects/23-001-S01?format=json").json()["project"]
    assert project == client.get("/api/projects/23-001-S01").json()


def test_project_page_shows_fields_with_sources_links_and_owner(client):
    data = client.get("/projects/23-001-S01?format=json").json()
    by_key = {f["key"]: f for f in data["fields"]}
    for key in ("diarienummer", "start_date", "owner", "region", "union_cofinancing_rate"):
        assert by_key[key]["source"]["document_id"], key
        assert by_key[key]["source"]["text"], key
    linked = [d["path_or_url"] or "" for d in data["linked_documents"]]
    assert any("000_" in path for path in linked), linked  # the seed news item
    html = client.get("/projects/23-001-S01").text
    assert "Karlstads kommun" in html and "212000-1850" in html
    assert "Beviljades medel till kompetenshöjning" in html
    assert 'href="/documents/' in html and "<q>" in html


def test_organisation_page_totals(client, store):
    with session_scope(store) as s:
        owner_id = find_project(s, "23-001-S01").owner_id
    data = client.get(f"/api/organisations/{owner_id}").json()
    assert data["name"] == "Karlstads kommun"
    assert any(p["diarienummer"] == "23-001-S01" for p in data["projects"])
    known = [p["esf_support_sek"] for p in data["projects"] if p["esf_support_sek"] is not None]
    assert data["total_esf_support_sek"] == (sum(known) if known else None)


def test_analytics_tables_add_up(client, store):
    data = client.get("/api/analytics").json()
    with session_scope(store) as s:
        total = stats(s)["esf_support_sek"]
    for dim, rows in data["by"].items():
        assert sum(r["esf_support_sek"] for r in rows) == total, dim
    lan = {r["key"]: r for r in data["by"]["lan"]}
    assert lan["17"]["projects"] >= 1  # Karlstad → Värmlands län
    html = client.get("/analytics").text
    assert html.count("<svg") >= 10 and "<table>" in html and "Värmlands län" in html


def test_language_switch_sets_lang_and_cookie(client):
    en = client.get("/?lang=en")
    assert '<html lang="en">' in en.text and "Key figures" in en.text
    assert client.get("/").text.count('<html lang="en">') == 1  # the cookie keeps English
    sv = client.get("/?lang=sv")
    assert '<html lang="sv">' in sv.text and "Nyckeltal" in sv.text


def test_openapi_and_local_docs(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/projects/{ident}" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text.lower()
    assert "/api/search" in docs.text


def test_project_endpoint_on_both_databases(store_url, tmp_path):
    engine = open_store(store_url)
    try:
        from projektatlas.ingest import ingest

        assert ingest(engine, [str(SEEDS)]).ok
        with TestClient(create_app(engine=engine)) as c:
            got = c.get("/api/projects/23-001-S01").json()
            html = c.get("/projects/23-001-S01")
            owner_id = got["owner"]["id"]
            for url in ("/", "/analytics", f"/organisations/{owner_id}", "/documents/1"):
                assert c.get(url).status_code == 200, url
            assert c.get("/api/projects/%00").status_code == 404
        with session_scope(engine) as s:
            expected = project_json(s, find_project(s, "23-001-S01"))
        assert got == json.loads(json.dumps(expected, default=str))
        assert html.status_code == 200 and "Karlstads kommun" in html.text
    finally:
        engine.dispose()


def test_hostile_identifiers_give_escaped_4xx_not_5xx(client):
    for url in (
        "/projects/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/api/projects/%00",
        "/api/documents/..%2F..%2Fetc%2Fpasswd",
        "/organisations/99999999999999999999999",
        "/api/organisations/-1",
        "/documents/%E2%80%AE",
        "/search?q=%00%3Cscript%3E&offset=100001",
    ):
        response = client.get(url)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert "<script>alert(1)</script>" not in response.text
