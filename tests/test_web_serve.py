"""`projektatlas serve` starts the app, says when it is ready, and answers on that address."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx

from tests.conftest import ROOT


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
