"""Latency of every web page and API endpoint (p50/p95) on a store of 100 000 documents.

    .venv/bin/python bench/web_bench.py [--docs 100000] [--sample 2000] [--requests 40]
                                        [--db PATH] [--reuse]

How the store is built (fast, but realistic): ``--sample`` documents from
``bench/generate.py``'s ``iter_documents`` (records in every layout and news, 60/40) go
through the real pipeline (``projektatlas.ingest.ingest``: parsing, extraction, linking);
the resulting rows (documents, facts, projects, organisations, aliases, persons, links) are
then cloned with SQL ``INSERT … SELECT`` and shifted ids until the store holds ``--docs``
documents (each clone gets its own organisations, so no owner grows unrealistically). The
search index is then built by ``projektatlas.search.indexer.sync_index`` with
``PROJEKTATLAS_SEMANTIC=0`` (lexical; embedding 100 000 passages would take hours here).

The app runs under uvicorn in a thread on a loopback port; one client sends requests one at
a time (warm-up first), cycling through different ids and queries. Baselines in the same
run: a static file and ``/api/stats``. SQLite only.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TABLES = (
    # table, columns copied as-is, columns shifted by an id offset {column: offset key}
    ("documents", None, {"id": "documents"}),
    ("organisations", None, {"id": "organisations", "parent_id": "organisations"}),
    (
        "organisation_aliases",
        None,
        {"id": "organisation_aliases", "organisation_id": "organisations"},
    ),
    ("projects", None, {"id": "projects", "owner_id": "organisations"}),
    ("project_sources", None, {"project_id": "projects", "document_id": "documents"}),
    ("facts", None, {"id": "facts", "document_id": "documents"}),
    ("persons", None, {"id": "persons", "project_id": "projects", "document_id": "documents"}),
)
# unique text columns: made unique per clone by appending "#k"
SUFFIXED = {
    "documents": ("content_hash", "path_or_url"),
    "organisations": ("name_key",),
    "projects": ("identity", "diarienummer"),
}
NULLED = {"organisations": ("org_number",)}


def build_sample(folder: Path, n: int, seed: int = 7) -> None:
    from generate import iter_documents

    n_records = int(n * 0.6)
    for doc in iter_documents(n_records, n - n_records, seed):
        path = folder / doc.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(doc.text.encode(doc.encoding, errors="replace"))


def _columns(conn, table: str) -> list[str]:
    from sqlalchemy import text

    return [row[1] for row in conn.execute(text(f"PRAGMA table_info({table})")).all()]


def clone(engine, copies: int) -> None:
    """Append ``copies`` shifted copies of every row (SQLite)."""
    from sqlalchemy import text

    with engine.begin() as conn:
        maxima = {
            t: conn.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {t}")).scalar()  # noqa: S608
            for t in (
                "documents",
                "organisations",
                "organisation_aliases",
                "projects",
                "facts",
                "persons",
                "links",
            )
        }
        for k in range(1, copies + 1):
            params = {f"off_{t}": maxima[t] * k for t in maxima} | {"suffix": f"#{k}"}
            for table, _, shifted in TABLES:
                cols = _columns(conn, table)
                exprs = []
                for c in cols:
                    if c in shifted:
                        exprs.append(
                            f'"{c}" + :off_{shifted[c]}'
                            if c != "parent_id"
                            else f'"{c}" + :off_organisations'
                        )
                    elif c in SUFFIXED.get(table, ()):
                        exprs.append(f'"{c}" || :suffix')
                    elif c in NULLED.get(table, ()):
                        exprs.append("NULL")
                    else:
                        exprs.append(f'"{c}"')
                names = ", ".join(f'"{c}"' for c in cols)
                sql = f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} FROM {table} WHERE "  # noqa: S608
                key = "id" if "id" in cols else cols[0]
                limit_key = shifted.get(key, "documents")
                sql += f'"{key}" <= :max_{limit_key}'
                conn.execute(text(sql), params | {f"max_{limit_key}": maxima[limit_key]})
            # links between documents and projects of this clone
            conn.execute(
                text(
                    "INSERT INTO links (a_type, a_id, b_type, b_id, relation, status, score, method, "
                    "evidence, decided_by, created_at, updated_at) "
                    "SELECT a_type, a_id + CASE a_type WHEN 'document' THEN :off_documents "
                    "WHEN 'project' THEN :off_projects ELSE :off_organisations END, "
                    "b_type, b_id + CASE b_type WHEN 'document' THEN :off_documents "
                    "WHEN 'project' THEN :off_projects ELSE :off_organisations END, "
                    "relation, status, score, method, evidence, decided_by, created_at, updated_at "
                    "FROM links WHERE id <= :max_links"
                ),
                params | {"max_links": maxima["links"]},
            )


def build_store(db: Path, docs: int, sample: int) -> None:
    from sqlalchemy import func, select

    from projektatlas.ingest import ingest
    from projektatlas.store.db import open_store, session_scope
    from projektatlas.store.schema import Document

    os.environ["PROJEKTATLAS_SEMANTIC"] = "0"
    engine = open_store(f"sqlite:///{db}")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        build_sample(Path(tmp), sample)
        summary = ingest(engine, [tmp])
        print(f"ingested {summary.new} sample documents in {time.perf_counter() - t0:.0f} s")
    with session_scope(engine) as s:
        have = s.scalar(select(func.count(Document.id)))
    copies = max(0, -(-docs // have) - 1)
    t0 = time.perf_counter()
    clone(engine, copies)
    with session_scope(engine) as s:
        have = s.scalar(select(func.count(Document.id)))
    print(f"cloned to {have} documents in {time.perf_counter() - t0:.0f} s")
    try:
        from projektatlas.search.indexer import sync_index
    except ModuleNotFoundError:
        print("search index: not installed")
        return
    t0 = time.perf_counter()
    n = sync_index(engine)
    print(f"search index: {n} entries in {time.perf_counter() - t0:.0f} s")
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def targets(engine) -> dict[str, list[str]]:
    """Named request groups, each a list of URLs to cycle through."""
    from sqlalchemy import func, select

    from projektatlas.store.schema import Document, Project

    with engine.connect() as conn:
        n_proj = conn.scalar(select(func.max(Project.id)))
        n_doc = conn.scalar(select(func.max(Document.id)))
        owners = [
            r[0]
            for r in conn.execute(
                select(Project.owner_id)
                .where(Project.owner_id.is_not(None))
                .group_by(Project.owner_id)
                .order_by(func.count().desc())
                .limit(20)
            ).all()
        ]
        diarie = [
            r[0]
            for r in conn.execute(
                select(Project.diarienummer).where(Project.diarienummer.like("%/%")).limit(20)
            ).all()
        ]
    step_p, step_d = max(1, n_proj // 37), max(1, n_doc // 37)
    projects = [str(i) for i in range(1, n_proj, step_p)]
    docs = [str(i) for i in range(1, n_doc, step_d)]
    queries = [
        "samordningsförbund Värmland",
        "unga arbetslösa",
        "kompetensutveckling vård",
        "nyanlända kvinnor",
        "supported employment",
        "psykisk ohälsa",
    ]
    q = [f"q={x.replace(' ', '+')}" for x in queries]
    return {
        "baseline: static file": ["/static/style.css"],
        "baseline: /api/stats": ["/api/stats"],
        "start /": ["/"],
        "search page (query)": [f"/search?{x}" for x in q],
        "search page (query + facet)": [f"/search?{x}&esf_region=Norra+Mellansverige" for x in q],
        "search page (facet only)": ["/search?q=&programme_period=2014-2020&sort=newest"],
        "project page": [f"/projects/{i}" for i in projects],
        "project page (diarienummer with /)": [
            f"/projects/{d.replace('/', '%2F')}" for d in diarie
        ],
        "organisation page (largest owners)": [f"/organisations/{i}" for i in owners],
        "analytics page": ["/analytics"],
        "analytics page (cold cache)": ["/analytics"],
        "start / (cold cache)": ["/"],
        "document page": [f"/documents/{i}" for i in docs],
        "api project": [f"/api/projects/{i}" for i in projects],
        "api search": [f"/api/search?{x}" for x in q],
        "api export csv (≤ 10 000 rows)": [f"/api/export?{x}&format=csv" for x in q],
    }


def measure(base: str, urls: list[str], n: int, cold: bool = False) -> tuple[list[float], int]:
    """Sequential request times (ms); ``cold`` empties the aggregate cache before each one."""
    import httpx

    from projektatlas.web.cache import clear

    times, bad = [], 0
    with httpx.Client(base_url=base, timeout=60) as client:
        for url in urls[:3]:
            client.get(url)  # warm-up
        for i in range(n):
            url = urls[i % len(urls)]
            if cold:
                clear()
            t0 = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            bad += r.status_code >= 400
    return times, bad


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "web_bench.db")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing --db")
    args = parser.parse_args()
    os.environ["PROJEKTATLAS_SEMANTIC"] = "0"
    args.db.parent.mkdir(parents=True, exist_ok=True)
    if not (args.reuse and args.db.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        build_store(args.db, args.docs, args.sample)

    import uvicorn

    from projektatlas.service import stats
    from projektatlas.store.db import open_store, session_scope
    from projektatlas.web.app import create_app

    engine = open_store(f"sqlite:///{args.db}")
    with session_scope(engine) as s:
        figures = stats(s)
    print(
        f"store: {figures['documents']} documents, {figures['projects']} projects, "
        f"{figures['organisations']} organisations, {figures['facts']} facts"
    )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine=engine), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    print("\n| request | p50 ms | p95 ms | max ms | errors |\n|---|---:|---:|---:|---:|")
    for name, urls in targets(engine).items():
        cold = "cold" in name
        n = args.requests if "export" not in name and not cold else max(6, args.requests // 4)
        times, bad = measure(base, urls, n, cold)
        print(
            f"| {name} | {statistics.median(times):.1f} | {pct(times, 95):.1f} | "
            f"{max(times):.1f} | {bad} |"
        )
    server.should_exit = True


if __name__ == "__main__":
    main()
