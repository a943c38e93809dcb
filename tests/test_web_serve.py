"""`projektatlas serve` starts the app, says when it is ready, and answers on that address."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx

from tests.conftest import ROOT, SEEDS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_ready_and_answers(tmp_path):
    port = _free_port()
    db = tmp_path / "serve.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "projektatlas.cli", "serve", "--port", str(port), "--db", str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if "redo" in line or proc.poll() is not None:
                break
        assert line.strip() == f"Projektatlas är redo på http://127.0.0.1:{port}"
        response = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=10)
        assert response.status_code == 200 and response.json()["documents"] == 0
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert '<html lang="sv">' in page.text
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_serve_with_two_worker_processes_answers_from_each(tmp_path):
    """`--workers 2` runs two server processes on one store; both answer the same data."""
    from projektatlas.ingest import ingest
    from projektatlas.store.db import open_store

    db = tmp_path / "workers.db"
    engine = open_store(f"sqlite:///{db}")
    ingest(engine, [str(SEEDS)])
    engine.dispose()
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "projektatlas.cli",
            "serve",
            "--port",
            str(port),
            "--db",
            str(db),
            "--workers",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        assert "2 serverprocesser" in first, first
        deadline, stats = time.monotonic() + 90, None
        while time.monotonic() < deadline and stats is None:
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=10).json()
            except httpx.TransportError:
                time.sleep(0.3)
        assert stats is not None and stats["documents"] == 5, stats
        children: list[str] = []
        while time.monotonic() < deadline and len(children) < 2:
            children = subprocess.run(
                ["ps", "--ppid", str(proc.pid), "-o", "pid="], capture_output=True, text=True
            ).stdout.split()
            time.sleep(0.2)
        assert len(children) >= 2, children  # the two workers under uvicorn's supervisor
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            answers = {client.get("/api/projects/23-001-S01").json()["name"] for _ in range(6)}
        assert len(answers) == 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)
