"""Crashes and concurrency: SIGKILL mid-ingest, and two ingests at once, end consistent."""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from projektatlas.store.db import make_engine
from projektatlas.store.snapshot import snapshot
from tests.conftest import PG_ADMIN, ROOT, SEEDS

sys.path.insert(0, str(ROOT / "bench"))
import crash_bench  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated records and news, plus the seeds: enough for an ingest of a few seconds."""
    folder = tmp_path_factory.mktemp("corpus")
    crash_bench.make_corpus(folder / "gen", records=120, news=40, seed=3)
    shutil.copytree(SEEDS, folder / "seeds")
    return folder


def _two_urls(kind: str, tmp_path: Path, request) -> tuple[str, str]:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'ref.db'}", f"sqlite:///{tmp_path / 'other.db'}"
    from tests.conftest import _pg_admin

    admin = _pg_admin()
    names = [f"projektatlas_rb_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    request.addfinalizer(drop)
    base = PG_ADMIN.rsplit("/", 1)[0]
    return f"{base}/{names[0]}", f"{base}/{names[1]}"


KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.mark.parametrize("kind", KINDS)
def test_sigkill_mid_ingest_then_rerun_equals_an_uninterrupted_run(kind, corpus, tmp_path, request):
    ref, url = _two_urls(kind, tmp_path, request)
    result = crash_bench.crash_test(corpus, ref, url, kills=10, seed=11)
    # Runs that end before their kill do not count: all ten kills hit a running ingest
    # (storing, linking or indexing: where they land depends on the machine's speed).
    assert result.killed_mid_run == 10, result
    assert result.equal, "\n".join(result.differences)


@pytest.mark.parametrize("kind", KINDS)
def test_two_overlapping_ingests_at_once_end_consistent(kind, corpus, tmp_path, request):
    ref, url = _two_urls(kind, tmp_path, request)
    crash_bench.run_clean(corpus, ref)
    # Two processes at once: one ingests everything, the other the generated part again.
    make_engine(url).dispose()
    procs = [
        subprocess.Popen(
            crash_bench.ingest_cmd(corpus, url), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ),
        subprocess.Popen(
            crash_bench.ingest_cmd(corpus / "gen", url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        ),
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err.decode()[-2000:]
    # A final pass (as a user would re-run) must find nothing left to do.
    crash_bench.run_clean(corpus, url)
    a_engine, b_engine = make_engine(ref), make_engine(url)
    try:
        a, b = snapshot(a_engine), snapshot(b_engine)
    finally:
        a_engine.dispose()
        b_engine.dispose()
    assert crash_bench.diff(a, b) == []


def test_ingest_while_the_web_app_serves(corpus, tmp_path):
    """Readers never see a server error while an ingest writes, and the store ends whole."""
    import socket
    import time

    import httpx

    ref, url = f"sqlite:///{tmp_path / 'ref.db'}", f"sqlite:///{tmp_path / 'live.db'}"
    crash_bench.run_clean(corpus / "seeds", url)  # something to read from the start
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "projektatlas.cli", "serve", "--port", str(port), "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in server.stdout:
            if "redo" in line:
                break
        ingest = subprocess.Popen(
            crash_bench.ingest_cmd(corpus, url), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        statuses: list[int] = []
        paths = [
            "/api/stats",
            "/api/search?q=samordningsf%C3%B6rbund",
            "/api/projects/23-001-S01",
            "/search?q=unga",
            "/",
        ]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            deadline = time.time() + 600
            while ingest.poll() is None and time.time() < deadline:
                for path in paths:
                    statuses.append(client.get(path).status_code)
        assert ingest.wait(timeout=600) == 0, ingest.stderr.read().decode()[-2000:]
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses and all(code == 200 for code in statuses), sorted(set(statuses))
    crash_bench.run_clean(corpus, ref)
    a_engine, b_engine = make_engine(ref), make_engine(url)
    try:
        assert crash_bench.diff(snapshot(a_engine), snapshot(b_engine)) == []
    finally:
        a_engine.dispose()
        b_engine.dispose()
