"""Browser tests: Debian's Chromium driven by Playwright against the app served by uvicorn
in a thread on a free loopback port. Skipped with the reason when Chromium, Playwright or
axe-core is missing — except in CI (env CI set), where that fails instead."""

from __future__ import annotations

import importlib.util
import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

# as `projektatlas serve` does: one OpenMP thread for query embeddings (see commands/serve.py)
os.environ.setdefault("OMP_NUM_THREADS", "1")
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests are required in CI: {reason}")
    pytest.skip(reason)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    if importlib.util.find_spec("playwright") is None:
        _unavailable("the playwright package is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        _unavailable(f"{AXE} is missing (run `npm install` in the repository root)")
    return AXE.read_text(encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on an ingested store (seeds, sample corpus, hostile fixture), its base URL.

    Uses the real search service when installed, else the test stand-in of the same contract.
    """
    import uvicorn

    from projektatlas.store.db import open_store
    from projektatlas.web.app import create_app
    from tests.web_support import ingest_all, install_fake_search

    if not SEEDS.is_dir():
        pytest.skip(f"seeds not found at {SEEDS}")
    patch = pytest.MonkeyPatch()
    if importlib.util.find_spec("projektatlas.search.service") is None:
        install_fake_search(patch)
    tmp = tmp_path_factory.mktemp("browser")
    engine = open_store(f"sqlite:///{tmp / 'browser.db'}")
    ingest_all(engine, tmp / "fixtures")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine=engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield {"url": f"http://127.0.0.1:{port}", "engine": engine}
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()
    patch.undo()


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(accept_downloads=True, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()
