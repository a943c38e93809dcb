"""Keeping the search index in step with the store: `sync_index` and `rebuild_index`.

The index is DERIVED data in tables of its own (`projektatlas.search.tables`), created here
idempotently and never by Alembic. Every entry stores the signature of its sources (project
row, owner, source documents' hashes and update times, `INDEX_VERSION`); `sync_index`
recomputes the signatures with cheap SQL, re-indexes every entry whose signature differs or
is missing, and removes entries whose source is gone. Each chunk is written in one
transaction, so a crash between store and index (or mid-sync) is repaired by the next run.

Personal data never enters the index: entries are masked when built (`entries.mask_text`).
Vectors are computed outside the write transaction; entries without a vector of the current
embedder (e.g. indexed with ``PROJEKTATLAS_SEMANTIC=0``) get one on the next sync.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterable, Sequence

import numpy as np
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from projektatlas.search import lexical_pg, lexical_sqlite
from projektatlas.search.entries import (
    DOCUMENT,
    PROJECT,
    IndexEntry,
    build_documents,
    build_projects,
    current_signatures,
    source_of,
)
from projektatlas.search.semantic import (
    Embedder,
    get_embedder,
    missing_vectors,
    write_vectors,
)
from projektatlas.search.tables import (
    bump_version,
    drop_tables,
    ensure_tables,
    get_meta,
    index_version,
    is_postgres,
    set_meta,
)

log = logging.getLogger(__name__)
CHUNK = 256
RETRIES = 4

_DEL_ENTRIES = text("DELETE FROM search_entries WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_DEL_FACETS = text("DELETE FROM search_facets WHERE entry_id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_DEL_VECTORS = text("DELETE FROM search_vectors WHERE entry_id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_INS_ENTRY = text(
    "INSERT INTO search_entries (id, entry_type, source_id, signature, title, diarienummer, kind,"
    " owner, region, start_date, esf_support_sek, budget_sek, sort_date, text, passage) VALUES"
    " (:id, :entry_type, :source_id, :signature, :title, :diarienummer, :kind, :owner, :region,"
    " :start_date, :esf_support_sek, :budget_sek, :sort_date, :text, :passage)"
)
_INS_FACET = text(
    "INSERT INTO search_facets (entry_id, facet, value, label) VALUES (:e, :f, :v, :l)"
)


def _lexical(conn: Connection):
    return lexical_pg if is_postgres(conn) else lexical_sqlite


def _chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def delete_entries(conn: Connection, ids: list[int]) -> None:
    if not ids:
        return
    for part in _chunks(ids, 5000):
        if not is_postgres(conn):
            lexical_sqlite.delete(conn, part)
        conn.execute(_DEL_FACETS, {"ids": part})
        conn.execute(_DEL_VECTORS, {"ids": part})
        conn.execute(_DEL_ENTRIES, {"ids": part})


def entry_row(entry: IndexEntry) -> dict:
    return {
        "id": entry.id,
        "entry_type": entry.entry_type,
        "source_id": entry.source_id,
        "signature": entry.signature,
        "title": entry.title,
        "diarienummer": entry.diarienummer,
        "kind": entry.kind,
        "owner": entry.owner,
        "region": entry.region,
        "start_date": entry.start_date,
        "esf_support_sek": entry.esf_support_sek,
        "budget_sek": entry.budget_sek,
        "sort_date": entry.sort_date,
        "text": entry.display_text,
        "passage": entry.passage,
    }


def write_entries(
    conn: Connection,
    entries: list[IndexEntry],
    embedder: Embedder | None = None,
    vectors: np.ndarray | None = None,
) -> None:
    """Replace the index rows (entry, terms, facets, vector) of ``entries`` in one go."""
    if not entries:
        return
    ids = [e.id for e in entries]
    delete_entries(conn, ids)
    conn.execute(_INS_ENTRY, [entry_row(e) for e in entries])
    facets = {(e.id, f, v): lbl for e in entries for f, v, lbl in e.facets if v}
    if facets:
        conn.execute(
            _INS_FACET,
            [{"e": i, "f": f, "v": v[:256], "l": lbl} for (i, f, v), lbl in facets.items()],
        )
    _lexical(conn).write(conn, entries)
    if embedder is not None and vectors is not None:
        write_vectors(conn, embedder, ids, vectors)


def _build(conn: Connection, ids: list[int], signatures: dict[int, str]) -> list[IndexEntry]:
    projects = [source_of(i)[1] for i in ids if source_of(i)[0] == PROJECT]
    documents = [source_of(i)[1] for i in ids if source_of(i)[0] == DOCUMENT]
    return build_projects(conn, projects, signatures) + build_documents(conn, documents, signatures)


def _embed(embedder: Embedder | None, passages: list[str]) -> np.ndarray | None:
    if embedder is None or not passages:
        return None
    try:
        return embedder.embed_passages(passages)
    except Exception:  # a failing model must not break ingest: vectors come next sync
        log.exception("embedding failed; semantic vectors are left for the next sync")
        return None


def fill_vectors(engine: Engine, embedder: Embedder) -> int:
    """Embed every entry that has no vector of ``embedder``; the number embedded."""
    with engine.connect() as conn:
        todo = missing_vectors(conn, embedder)
    done = 0
    for i in range(0, len(todo), CHUNK):
        part = todo[i : i + CHUNK]
        vectors = _embed(embedder, [p for _, p in part])
        if vectors is None:
            break
        with engine.begin() as conn:
            present = {
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM search_entries WHERE id IN :ids").bindparams(
                        bindparam("ids", expanding=True)
                    ),
                    {"ids": [e for e, _ in part]},
                )
            }
            keep = [k for k, (e, _) in enumerate(part) if e in present]
            write_vectors(conn, embedder, [part[k][0] for k in keep], vectors[keep])
            bump_version(conn)
        done += len(keep)
    with engine.begin() as conn:
        if get_meta(conn, "embedder") != embedder.name:
            set_meta(conn, "embedder", embedder.name)
            bump_version(conn)
    return done


def _write_chunk(
    engine: Engine, entries: list[IndexEntry], embedder: Embedder | None, vectors
) -> None:
    """Write one chunk; a concurrent sync writing the same entries is waited out and retried
    (the index is derived: after the last try the chunk is left for the next sync)."""
    for attempt in range(RETRIES):
        try:
            with engine.begin() as conn:
                write_entries(conn, entries, embedder, vectors)
                bump_version(conn)
            return
        except (IntegrityError, OperationalError):
            if attempt == RETRIES - 1:
                log.warning("search index: %d entries left for the next sync", len(entries))
                return
            time.sleep(0.1 * (attempt + 1) + random.random() * 0.1)


def sync_index(engine: Engine, embedder: Embedder | None = None) -> int:
    """Bring the index up to date with the store; the number of entries (re)indexed or removed."""
    embedder = embedder if embedder is not None else get_embedder()
    with engine.begin() as conn:
        ensure_tables(conn)
        if not index_version(conn):
            bump_version(conn)
    with engine.connect() as conn:
        signatures = current_signatures(conn)
        stored = {
            int(i): s for i, s in conn.execute(text("SELECT id, signature FROM search_entries"))
        }
    changed = sorted(i for i, sig in signatures.items() if stored.get(i) != sig)
    removed = sorted(set(stored) - set(signatures))
    if removed:
        with engine.begin() as conn:
            delete_entries(conn, removed)
            bump_version(conn)
    for ids in _chunks(changed, CHUNK):
        with engine.connect() as conn:
            entries = _build(conn, ids, signatures)
        vectors = _embed(embedder, [e.passage for e in entries])
        _write_chunk(engine, entries, embedder if vectors is not None else None, vectors)
    if embedder is not None:
        fill_vectors(engine, embedder)
    return len(changed) + len(removed)


def rebuild_index(engine: Engine, embedder: Embedder | None = None) -> int:
    """Drop the search tables and index everything again (e.g. after `forget`)."""
    with engine.begin() as conn:
        drop_tables(conn)
    return sync_index(engine, embedder)
