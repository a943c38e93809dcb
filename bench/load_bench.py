"""Sustained load on the web app over loopback: requests/s and p95 latency (wrk).

    apt-get install -y wrk
    .venv/bin/python bench/load_bench.py [--db bench/out/web_bench.db] [--docs 100000]
                                         [--duration 20] [--connections 8] [--threads 2]

The store is the web benchmark's (bench/web_bench.py: 100 000 documents; built first when
missing). `projektatlas serve` runs on 127.0.0.1 in processes of its own (``--workers``), and
wrk (Debian's package, a second process) drives it for `--duration` seconds per scenario,
cycling through many URLs of one kind via a Lua script. Every run is bounded in time and
targets loopback only. The baseline in the same run is the static CSS file, which measures
the server and the loopback itself.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import web_bench  # noqa: E402

LUA = """
local urls = {%s}
local i = 0
request = function()
  i = i %% #urls + 1
  return wrk.format("GET", urls[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%%.1f p50=%%.2f p95=%%.2f p99=%%.2f errors=%%d non2xx=%%d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""
SCENARIOS = (
    "baseline: static file",
    "search page (query)",
    "search page (query + facet)",
    "project page",
    "api search",
    "api project",
)


def wrk(base: str, urls: list[str], duration: int, connections: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        safe = [quote(u, safe="/?&=+%:") for u in urls]  # wrk sends the bytes as they are
        f.write(LUA % ", ".join(f'"{u}"' for u in safe))
        script = f.name
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--timeout",
                "10s",
                "-s",
                script,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(script)
    m = re.search(r"RESULT (.*)", out)
    if not m or float(m.group(1).split()[0].split("=")[1]) == 0:
        print(f"wrk gave no requests for {urls[:2]}…:\n{out}", file=sys.stderr)
    return dict(kv.split("=") for kv in m.group(1).split()) if m else {"raw": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "web_bench.db")
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="serve --workers (processes)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        web_bench.build_store(args.db, args.docs, args.sample)
    from projektatlas.store.db import open_store

    engine = open_store(f"sqlite:///{args.db}")
    groups = web_bench.targets(engine)
    port = web_bench._free_port()
    env = dict(os.environ, OMP_NUM_THREADS="1", PROJEKTATLAS_SEMANTIC="0")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "projektatlas.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{args.db}",
            "--workers",
            str(args.workers),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        for line in server.stdout:
            if "redo" in line or "serverprocesser" in line or time.time() > deadline:
                break
        # Drain the server's output so that a full pipe can never block it.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        # Warm-up, untimed: every URL once in turn, so that no scenario measures the cold
        # start (search snapshot, aggregates, lexicon), then a short wrk run.
        import httpx

        # Each worker process has its own caches, and a kept-alive connection stays with
        # one process, so every warm-up request opens a new connection (the kernel hands
        # them to the workers in turn), and each scenario then runs untimed under wrk's
        # concurrent connections for a few seconds.
        with httpx.Client(base_url=base, timeout=300, headers={"Connection": "close"}) as client:
            for _ in range(60):  # workers may still be starting
                try:
                    client.get("/api/stats")
                    break
                except httpx.TransportError:
                    time.sleep(1)
            for _ in range(args.workers + 1):
                for name in SCENARIOS:
                    for url in groups[name]:
                        client.get(url)
        for name in SCENARIOS:
            wrk(base, groups[name], 3, args.connections, args.threads)
        print(
            f"{args.db.name}: serve --workers {args.workers}, {args.connections} connections, "
            f"{args.threads} wrk threads, "
            f"{args.duration} s per scenario"
        )
        print(
            f"{'scenario':32s} {'req/s':>9s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} "
            f"{'errors':>7s} {'non-2xx':>8s}"
        )
        for name in SCENARIOS:
            r = wrk(base, groups[name], args.duration, args.connections, args.threads)
            print(
                f"{name:32s} {float(r.get('rps', 0)):9.1f} {float(r.get('p50', 0)):8.1f} "
                f"{float(r.get('p95', 0)):8.1f} {float(r.get('p99', 0)):8.1f} "
                f"{r.get('errors', '?'):>7s} {r.get('non2xx', '?'):>8s}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
