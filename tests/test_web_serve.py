"""`projektatlas serve` starts the app, says when it is ready, and answers on that address."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from projektatlas.web.workers import listening_socket, reuse_port_supported
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
        children: list[int] = []
        while time.monotonic() < deadline and len(children) < 2:
            children = _worker_pids(proc.pid)
            time.sleep(0.2)
        assert len(children) == 2, children  # the two workers under the supervisor
        if reuse_port_supported():  # each worker listens on a socket of its own
            assert _listeners(port) == 2
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            answers = {client.get("/api/projects/23-001-S01").json()["name"] for _ in range(6)}
        assert len(answers) == 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode == 0
    if reuse_port_supported():  # SIGTERM to the supervisor stopped every worker
        assert _listeners(port) == 0


def _listeners(port: int) -> int:
    """Listening TCP sockets on ``port`` (IPv4), from /proc/net/tcp."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for r in rows if r.split()[1].endswith(f":{port:04X}") and r.split()[3] == "0A")


@pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT balancing is Linux only")
def test_worker_sockets_share_the_port_and_the_kernel_spreads_connections():
    port = _free_port()
    first, second = listening_socket("127.0.0.1", port), listening_socket("127.0.0.1", port)
    try:
        assert first.proto == socket.IPPROTO_TCP  # accepted sockets then get TCP_NODELAY
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        accepted = []
        for listener in (first, second):
            listener.setblocking(False)
            count = 0
            while True:
                try:
                    conn, _ = listener.accept()
                except BlockingIOError:
                    break
                conn.close()
                count += 1
            accepted.append(count)
        for c in clients:
            c.close()
        assert sum(accepted) == 40 and min(accepted) > 0, accepted
    finally:
        first.close()
        second.close()


@pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT workers are Linux only")
def test_serve_workers_on_a_taken_port_says_so_and_starts_nothing(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        stderr = _refused_serve_workers(port, tmp_path / "taken.db")
    assert "adressen används redan" in stderr


@pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT workers are Linux only")
def test_a_worker_that_dies_is_replaced_and_serving_goes_on(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "projektatlas.cli", "serve", "--port", str(port)]
        + ["--db", str(tmp_path / "restart.db"), "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = _lines(proc)
        lines = [next(lines), next(lines)]
        assert lines[1].strip() == f"Projektatlas är redo på http://127.0.0.1:{port}", lines
        workers = _worker_pids(proc.pid)
        assert len(workers) == 2 and _listeners(port) == 2
        os.kill(workers[0], signal.SIGKILL)
        assert "startar en ny" in next(_lines(proc))
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and _listeners(port) < 2:
            time.sleep(0.3)
        assert _listeners(port) == 2
        replaced = _worker_pids(proc.pid)
        assert workers[0] not in replaced and workers[1] in replaced
        for _ in range(6):  # fresh connections, spread over both workers
            response = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=30)
            assert response.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert proc.returncode == 0 and _listeners(port) == 0


def _worker_pids(parent: int) -> list[int]:
    """The server processes under the supervisor (not multiprocessing's helper)."""
    out = subprocess.run(
        ["ps", "-ww", "--ppid", str(parent), "-o", "pid=,args="], capture_output=True, text=True
    ).stdout
    return [int(line.split()[0]) for line in out.splitlines() if "spawn_main" in line]


def _lines(proc: subprocess.Popen, timeout: float = 120):
    """The process's next output lines; fails instead of hanging when none comes in time."""
    import queue
    import threading

    out: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: out.put(proc.stdout.readline()), daemon=True).start()
    while True:
        try:
            line = out.get(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"no output from the server within {timeout} s")
        yield line
        threading.Thread(target=lambda: out.put(proc.stdout.readline()), daemon=True).start()


@pytest.mark.skipif(not reuse_port_supported(), reason="SO_REUSEPORT workers are Linux only")
def test_serve_workers_needs_a_real_port(tmp_path):
    stderr = _refused_serve_workers(0, tmp_path / "zero.db")
    assert "--port 0 går inte med flera processer" in stderr


def _refused_serve_workers(port: int, db: Path) -> str:
    """stderr of `serve --workers 2` on ``port``, which must end at once with exit 1."""
    proc = subprocess.run(
        [sys.executable, "-m", "projektatlas.cli", "serve", "--port", str(port)]
        + ["--db", str(db), "--workers", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    return proc.stderr
