"""The derived search tables, created idempotently by `projektatlas.search` (not by Alembic).

They hold only data derived from the store (masked text, analysed terms, facet values,
vectors), so they can be dropped and rebuilt at any time (`projektatlas index --rebuild`).
Alembic's migrations never see them: `rebuild_index` and `sync_index` create them with
``CREATE ... IF NOT EXISTS``.

    search_entries  one row per project / non-record document: display fields, masked text,
                    the signature of its sources (PostgreSQL: also the weighted ``tsv``)
    search_fts      SQLite only: FTS5 table of analysed terms, rowid = entry id
    search_facets   (entry_id, facet, value, label)
    search_vectors  (entry_id, model, dim, vec): float32 bytes
    search_meta     key/value: ``version`` (a new token after every sync that changed something),
                    ``lexical`` (``fts5`` / ``tantivy`` / ``pg``: which lexical index is kept)
    search_pending  SQLite only: entry ids written to the store but not yet to the tantivy
                    index (an outbox, see `lexical_tantivy`)
"""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.engine import Connection

_COMMON = (
    "CREATE TABLE IF NOT EXISTS search_facets (entry_id BIGINT NOT NULL, facet VARCHAR(32) NOT NULL,"
    " value VARCHAR(256) NOT NULL, label TEXT, PRIMARY KEY (entry_id, facet, value))",
    "CREATE INDEX IF NOT EXISTS ix_search_facets_fv ON search_facets (facet, value)",
    "CREATE TABLE IF NOT EXISTS search_meta (key VARCHAR(64) PRIMARY KEY, value TEXT)",
)
_ENTRY_COLUMNS = (
    "id BIGINT PRIMARY KEY, entry_type VARCHAR(16) NOT NULL, source_id BIGINT NOT NULL,"
    " signature VARCHAR(64) NOT NULL, title TEXT, diarienummer VARCHAR(32), kind VARCHAR(16),"
    " owner TEXT, region VARCHAR(64), start_date VARCHAR(10), esf_support_sek BIGINT,"
    " budget_sek BIGINT, sort_date VARCHAR(10), text TEXT, passage TEXT"
)
SQLITE_DDL = (
    "CREATE TABLE IF NOT EXISTS search_entries (" + _ENTRY_COLUMNS + ")",
    "CREATE TABLE IF NOT EXISTS search_vectors (entry_id BIGINT PRIMARY KEY, model VARCHAR(64)"
    " NOT NULL, dim INTEGER NOT NULL, vec BLOB NOT NULL)",
    *_COMMON,
    "CREATE TABLE IF NOT EXISTS search_pending (entry_id BIGINT PRIMARY KEY)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(name, owner, description, body,"
    " name_f, owner_f, description_f, body_f, tokenize='unicode61 remove_diacritics 0')",
)
PG_DDL = (
    "CREATE TABLE IF NOT EXISTS search_entries (" + _ENTRY_COLUMNS + ", tsv tsvector)",
    "CREATE INDEX IF NOT EXISTS ix_search_entries_tsv ON search_entries USING GIN (tsv)",
    "CREATE TABLE IF NOT EXISTS search_vectors (entry_id BIGINT PRIMARY KEY, model VARCHAR(64)"
    " NOT NULL, dim INTEGER NOT NULL, vec BYTEA NOT NULL)",
    *_COMMON,
)
TABLES = (
    "search_fts",
    "search_pending",
    "search_vectors",
    "search_facets",
    "search_entries",
    "search_meta",
)
_DROP = {name: text("DROP TABLE IF EXISTS " + name) for name in TABLES}


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def ensure_tables(conn: Connection) -> None:
    """Create the search tables if they are missing (idempotent)."""
    if is_postgres(conn):
        # concurrent CREATE ... IF NOT EXISTS can race on the catalog: serialise it
        conn.execute(text("SELECT pg_advisory_xact_lock(74201)"))
    for ddl in PG_DDL if is_postgres(conn) else SQLITE_DDL:
        conn.execute(text(ddl))


def drop_tables(conn: Connection) -> None:
    for name in TABLES:
        conn.execute(_DROP[name])


def has_tables(conn: Connection) -> bool:
    if is_postgres(conn):
        sql = "SELECT to_regclass('search_meta') IS NOT NULL"
    else:
        sql = "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'search_meta'"
    return bool(conn.execute(text(sql)).scalar())


def index_version(conn: Connection) -> str:
    """A token that changes whenever the index changes (per-process caches compare it)."""
    return get_meta(conn, "version") or ""


def bump_version(conn: Connection) -> str:
    version = uuid.uuid4().hex
    set_meta(conn, "version", version)
    return version


def lexical_backend(conn: Connection) -> str:
    """The lexical index this database keeps: ``pg``, ``fts5`` or ``tantivy``."""
    if is_postgres(conn):
        return "pg"
    return get_meta(conn, "lexical") or "fts5"


def get_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(text("SELECT value FROM search_meta WHERE key = :k"), {"k": key}).scalar()


def set_meta(conn: Connection, key: str, value: str) -> None:
    conn.execute(text("DELETE FROM search_meta WHERE key = :k"), {"k": key})
    conn.execute(
        text("INSERT INTO search_meta (key, value) VALUES (:k, :v)"), {"k": key, "v": value}
    )
