"""Ingesting from a URL, against a small web server on loopback."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from projektatlas.sources.readers import SourceFailure, discover, iter_sources

PAGE = """<!doctype html><html lang="sv"><head><title>Unga i Gävleborg</title></head>
<body><nav>Meny Sök Logga in</nav><main><h1>Unga i Gävleborg</h1>
<p>Samordningsförbundet Gävleborg startar ett projekt för unga som varken arbetar eller
studerar. Projektet pågår i tre år och omfattar cirka 200 deltagare i Sandviken och Gävle.</p>
</main></body></html>"""


@pytest.fixture
def server(tmp_path):
    (tmp_path / "nyhet.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_web_page_is_fetched_and_its_main_text_kept(server):
    (doc,) = list(iter_sources(discover([f"{server}/nyhet.html"])))
    assert not isinstance(doc, SourceFailure), doc
    assert doc.media_type == "text/html"
    assert "varken arbetar eller" in doc.text and "Gävleborg" in doc.text
    assert "Logga in" not in doc.text


def test_a_missing_page_is_a_failure_with_the_status(server):
    (result,) = list(iter_sources(discover([f"{server}/saknas.html"])))
    assert isinstance(result, SourceFailure) and "404" in result.reason
