"""Lexical index on SQLite: FTS5 over pre-analysed terms, ranked by bm25 with field weights.

The FTS5 table ``search_fts`` has eight columns: the exact term stream and the ASCII-folded
stream of each field (name, owner, description, body); its rowid is the entry id. Terms come
from `analysis.index_terms`, so the tokenizer only splits at spaces (``unicode61`` with
diacritics kept). Queries come from `query.to_fts5` (every term quoted) and are passed as a
bound parameter; no user text is ever part of the SQL.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from projektatlas.search.entries import IndexEntry
from projektatlas.search.fields import FIELDS, FOLDED_FIELDS, FOLDED_WEIGHTS, WEIGHTS, field_terms
from projektatlas.search.query import Query, to_fts5

_INSERT = text(
    "INSERT INTO search_fts (rowid, name, owner, description, body, name_f, owner_f,"
    " description_f, body_f) VALUES (:id, :name, :owner, :description, :body, :name_f,"
    " :owner_f, :description_f, :body_f)"
)
_DELETE = text("DELETE FROM search_fts WHERE rowid IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_MATCH = text(
    "SELECT rowid, bm25(search_fts, :w0, :w1, :w2, :w3, :w4, :w5, :w6, :w7) FROM search_fts"
    " WHERE search_fts MATCH :q"
)
_RANKED = (
    "SELECT rowid, bm25(search_fts, :w0, :w1, :w2, :w3, :w4, :w5, :w6, :w7) AS s FROM search_fts"
    " WHERE search_fts MATCH :q ORDER BY s, rowid LIMIT :n"
)
_IDS = "SELECT rowid FROM search_fts WHERE search_fts MATCH :q"
_WEIGHT_PARAMS = {f"w{i}": w for i, w in enumerate((*WEIGHTS, *FOLDED_WEIGHTS))}


def fts_row(entry: IndexEntry) -> dict:
    row: dict = {"id": entry.id}
    for name, fname, (exact, folded) in zip(FIELDS, FOLDED_FIELDS, field_terms(entry), strict=True):
        row[name] = exact
        row[fname] = folded
    return row


def delete(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(_DELETE, {"ids": ids})


def write(conn: Connection, entries: list[IndexEntry], rows: list[dict] | None = None) -> None:
    """Replace the FTS rows of ``entries`` (rows may be precomputed with `fts_row`)."""
    if not entries:
        return
    delete(conn, [e.id for e in entries])
    conn.execute(_INSERT, rows if rows is not None else [fts_row(e) for e in entries])


def match_expression(query: Query, match_only: bool = False) -> str:
    return to_fts5(query, columns=FIELDS, folded_columns=FOLDED_FIELDS, match_only=match_only)


def _rows(conn: Connection, sql: str, params: dict) -> list[tuple]:
    # the DBAPI cursor directly: tens of thousands of rows without per-row Python wrappers
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def ranked(conn: Connection, query: Query, limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` (entry id, score) by descending score, ties by ascending id."""
    expr = match_expression(query)
    if not expr or limit <= 0:
        return []
    rows = _rows(conn, _RANKED, {"q": expr, "n": int(limit), **_WEIGHT_PARAMS})
    return [(rowid, -score) for rowid, score in rows]


def match_ids(conn: Connection, query: Query) -> np.ndarray:
    """Sorted entry ids of every entry matching ``query`` (no scores: cheaper)."""
    expr = match_expression(query, match_only=True)
    if not expr:
        return np.zeros(0, np.int64)
    rows = _rows(conn, _IDS, {"q": expr})
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    return ids if bool(np.all(ids[1:] > ids[:-1])) else np.unique(ids)  # FTS5: rowid order


def match(conn: Connection, query: Query) -> list[tuple[int, float]]:
    """(entry id, score) of every entry matching ``query``; higher score is better."""
    expr = match_expression(query)
    if not expr:
        return []
    # the DBAPI cursor directly: tens of thousands of rows without per-row Python wrappers
    cursor = conn.connection.cursor()
    try:
        cursor.execute(str(_MATCH), {"q": expr, **_WEIGHT_PARAMS})
        return [(rowid, -score) for rowid, score in cursor.fetchall()]
    finally:
        cursor.close()
