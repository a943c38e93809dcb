"""Keeping the search index in step with the store: `sync_index` and `rebuild_index`.

The index is DERIVED data in tables of its own (`projektatlas.search.tables`), created here
idempotently and never by Alembic. Every entry stores the signature of its sources (project
row, owner, source documents' hashes and update times, `INDEX_VERSION`); `sync_index`
recomputes the signatures with cheap SQL, re-indexes every entry whose signature differs or
is missing, and removes entries whose source is gone. Each chunk is written in one
transaction, so a crash between store and index (or mid-sync) is repaired by the next run.

The lexical index is FTS5 inside the SQLite file, tsvector on PostgreSQL, or, for an SQLite
file when the tantivy package is installed, a tantivy index beside the file
(`lexical_tantivy`; ``PROJEKTATLAS_LEXICAL`` chooses). With tantivy a chunk is committed to
SQLite with its ids in the ``search_pending`` outbox, then written to tantivy; the outbox rows
go once tantivy has committed. Outbox rows left by a crash are repaired at the next sync (those
entries are removed on both sides and indexed again); an index whose document count disagrees
with ``search_entries`` is rebuilt. A change of backend rebuilds the index.

Personal data never enters the index: entries are masked when built (`entries.mask_text`).
Vectors are computed outside the write transaction; entries without a vector of the current
embedder (e.g. indexed with ``PROJEKTATLAS_SEMANTIC=0``) get one on the next sync.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from projektatlas.search import lexical_pg, lexical_sqlite, lexical_tantivy
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
    has_tables,
    index_version,
    lexical_backend,
    set_meta,
)

log = logging.getLogger(__name__)
CHUNK = 256
RETRIES = 4
PUBLISH_EVERY = 16  # chunks between tantivy commits (each commit makes a segment)

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
_INS_PENDING = text("INSERT OR IGNORE INTO search_pending (entry_id) VALUES (:e)")
_DEL_PENDING = text("DELETE FROM search_pending WHERE entry_id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def _delete_rows(conn: Connection, ids: list[int]) -> None:
    for part in _chunks(ids, 5000):
        conn.execute(_DEL_FACETS, {"ids": part})
        conn.execute(_DEL_VECTORS, {"ids": part})
        conn.execute(_DEL_ENTRIES, {"ids": part})


def _chunks(items: Sequence[int], size: int) -> Iterable[list[int]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def delete_entries(conn: Connection, ids: list[int]) -> None:
    if not ids:
        return
    backend = lexical_backend(conn)
    for part in _chunks(ids, 5000):
        if backend == "tantivy":
            conn.execute(_INS_PENDING, [{"e": i} for i in part])
        elif backend == "fts5":
            lexical_sqlite.delete(conn, part)
    _delete_rows(conn, ids)


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
    """Replace the index rows (entry, terms, facets, vector) of ``entries`` in one go.

    With the tantivy backend the terms are not written here: the ids land in the outbox and
    the caller writes the entries to tantivy after this transaction commits.
    """
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
    backend = lexical_backend(conn)
    if backend == "pg":
        lexical_pg.write(conn, entries)
    elif backend == "fts5":
        lexical_sqlite.write(conn, entries)
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
) -> bool:
    """Write one chunk; a concurrent sync writing the same entries is waited out and retried
    (the index is derived: after the last try the chunk is left for the next sync)."""
    for attempt in range(RETRIES):
        try:
            with engine.begin() as conn:
                write_entries(conn, entries, embedder, vectors)
                bump_version(conn)
            return True
        except (IntegrityError, OperationalError):
            if attempt == RETRIES - 1:
                log.warning("search index: %d entries left for the next sync", len(entries))
                return False
            time.sleep(0.1 * (attempt + 1) + random.random() * 0.1)
    return False


# --------------------------------------------------------------------------- tantivy


def _choose_backend(engine: Engine) -> str:
    """Record which lexical index this database keeps; a change of backend starts afresh."""
    with engine.begin() as conn:
        wanted = lexical_tantivy.wanted_backend(conn)
        stored = get_meta(conn, "lexical")
        if stored == wanted:
            return wanted
        if stored is not None or conn.execute(text("SELECT 1 FROM search_entries")).first():
            log.info("search index: lexical backend %s -> %s, rebuilding", stored, wanted)
            drop_tables(conn)
            ensure_tables(conn)
        set_meta(conn, "lexical", wanted)
        bump_version(conn)
    if wanted == "tantivy":
        with engine.connect() as conn:
            lexical_tantivy.index_for(conn).clear()  # whatever an earlier database left there
    return wanted


@contextmanager
def _tantivy_writer(engine: Engine, backend: str) -> Iterator[lexical_tantivy.WriterSession | None]:
    if backend != "tantivy":
        yield None
        return
    with engine.connect() as conn:
        index = lexical_tantivy.index_for(conn)
    with index.writer() as session:
        yield session


def _pending(conn: Connection) -> list[int]:
    return [int(r[0]) for r in conn.execute(text("SELECT entry_id FROM search_pending"))]


def _publish(engine: Engine, tw: lexical_tantivy.WriterSession) -> None:
    """Commit tantivy, then empty the outbox of what it now holds."""
    done = tw.commit()
    with engine.begin() as conn:
        for part in _chunks(sorted(set(done)), 5000):
            conn.execute(_DEL_PENDING, {"ids": part})
        bump_version(conn)


_STALE = text("UPDATE search_entries SET signature = '' WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def _repair(engine: Engine, tw: lexical_tantivy.WriterSession) -> None:
    """Bring tantivy and the store's index rows back to agreement before a sync.

    Outbox rows mean a sync stopped between the store and tantivy: those entries leave
    tantivy and are marked stale in the store, so this sync indexes them again (or removes
    them). When the document counts still disagree (a folder deleted, copied or damaged),
    the id sets are compared and the differences treated the same way.
    """
    with engine.connect() as conn:
        stale = _pending(conn)
        stored = int(conn.execute(text("SELECT count(*) FROM search_entries")).scalar() or 0)
    if stale:
        log.info("search index: repairing %d entries an interrupted sync left", len(stale))
        tw.delete(stale)
        tw.commit()
    if tw.index.doc_count() != stored - len(stale):
        held = tw.index.ids()
        with engine.connect() as conn:
            rows = {int(r[0]) for r in conn.execute(text("SELECT id FROM search_entries"))}
        extra, missing = sorted(held - rows), sorted(rows - held)
        log.warning(
            "search index: tantivy and the store disagree (%d extra, %d missing): repairing",
            len(extra),
            len(missing),
        )
        tw.delete(extra)
        tw.commit()
        stale = sorted(set(stale) | set(missing))
    if stale:
        with engine.begin() as conn:
            for part in _chunks(stale, 5000):
                conn.execute(_STALE, {"ids": part})
                conn.execute(_DEL_PENDING, {"ids": part})
            bump_version(conn)


def write_batch(
    engine: Engine,
    entries: list[IndexEntry],
    tw: lexical_tantivy.WriterSession | None,
    embedder: Embedder | None = None,
    vectors: np.ndarray | None = None,
) -> bool:
    """Write prepared entries to the store's index rows and, with tantivy, to ``tw``."""
    ok = _write_chunk(engine, entries, embedder if vectors is not None else None, vectors)
    if ok and tw is not None:
        tw.replace(entries)
    return ok


@contextmanager
def bulk_writer(engine: Engine) -> Iterator[lexical_tantivy.WriterSession | None]:
    """Prepare the tables and hold the lexical writer for `write_batch` calls (benchmarks and
    bulk loads); publishes at the end."""
    with engine.begin() as conn:
        ensure_tables(conn)
    backend = _choose_backend(engine)
    with _tantivy_writer(engine, backend) as tw:
        if tw is not None:
            _repair(engine, tw)
        yield tw
        if tw is not None:
            _publish(engine, tw)


# --------------------------------------------------------------------------- sync


def sync_index(engine: Engine, embedder: Embedder | None = None) -> int:
    """Bring the index up to date with the store; the number of entries (re)indexed or removed."""
    embedder = embedder if embedder is not None else get_embedder()
    with engine.begin() as conn:
        ensure_tables(conn)
        if not index_version(conn):
            bump_version(conn)
    backend = _choose_backend(engine)
    with _tantivy_writer(engine, backend) as tw:
        if tw is not None:
            _repair(engine, tw)
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
            if tw is not None:
                tw.delete(removed)
        for k, ids in enumerate(_chunks(changed, CHUNK)):
            with engine.connect() as conn:
                entries = _build(conn, ids, signatures)
            vectors = _embed(embedder, [e.passage for e in entries])
            write_batch(engine, entries, tw, embedder, vectors)
            if tw is not None and (k + 1) % PUBLISH_EVERY == 0:
                _publish(engine, tw)
        if tw is not None and (tw.uncommitted or removed or changed):
            _publish(engine, tw)
    if embedder is not None:
        fill_vectors(engine, embedder)
    return len(changed) + len(removed)


def rebuild_index(engine: Engine, embedder: Embedder | None = None) -> int:
    """Drop the search tables and index everything again (e.g. after `forget`).

    The tantivy index is emptied and its old segment files deleted first."""
    with engine.begin() as conn:
        backend = lexical_backend(conn) if has_tables(conn) else None
        drop_tables(conn)
    if backend == "tantivy":
        with engine.connect() as conn:
            lexical_tantivy.index_for(conn).clear()
    return sync_index(engine, embedder)
