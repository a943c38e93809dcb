"""Lexical index on PostgreSQL: a weighted ``tsvector`` of pre-analysed terms, GIN index.

``search_entries.tsv`` = ``setweight(to_tsvector('simple', name terms), 'A') || … 'B' (owner)
|| … 'C' (description) || … 'D' (body)``, each field's exact and folded streams together. The
'simple' configuration only lower-cases and splits, so the Swedish analysis is entirely ours
and identical to SQLite's. Ranking is ``ts_rank_cd``; the query text from `query.to_tsquery`
goes to ``to_tsquery('simple', :q)`` as a bound parameter.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

from projektatlas.search.entries import IndexEntry
from projektatlas.search.fields import field_terms
from projektatlas.search.query import Query, to_tsquery

_SET_TSV = text(
    "UPDATE search_entries SET tsv = setweight(to_tsvector('simple', :a), 'A')"
    " || setweight(to_tsvector('simple', :b), 'B') || setweight(to_tsvector('simple', :c), 'C')"
    " || setweight(to_tsvector('simple', :d), 'D') WHERE id = :id"
)
_MATCH_DBAPI = (
    "SELECT e.id, ts_rank_cd(e.tsv, q) FROM search_entries e, to_tsquery('simple', %(q)s) q"
    " WHERE e.tsv @@ q"
)
_RANKED_DBAPI = (
    "SELECT e.id, ts_rank_cd(e.tsv, q) AS s FROM search_entries e, to_tsquery('simple', %(q)s) q"
    " WHERE e.tsv @@ q ORDER BY s DESC, e.id LIMIT %(n)s"
)
_IDS_DBAPI = "SELECT e.id FROM search_entries e, to_tsquery('simple', %(q)s) q WHERE e.tsv @@ q"
_CLEAR = text("UPDATE search_entries SET tsv = NULL WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def tsv_params(entry: IndexEntry) -> dict:
    terms = field_terms(entry)
    params: dict = {"id": entry.id}
    for key, (exact, folded) in zip("abcd", terms, strict=True):
        params[key] = f"{exact} {folded}".strip()
    return params


def delete(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(_CLEAR, {"ids": ids})


def write(conn: Connection, entries: list[IndexEntry], rows: list[dict] | None = None) -> None:
    """Set the ``tsv`` of ``entries`` (their search_entries rows must exist)."""
    if entries:
        conn.execute(_SET_TSV, rows if rows is not None else [tsv_params(e) for e in entries])


def _rows(conn: Connection, sql: str, params: dict) -> list[tuple]:
    cursor = conn.connection.cursor()  # the DBAPI cursor: many rows, no per-row wrappers
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def ranked(conn: Connection, query: Query, limit: int) -> list[tuple[int, float]]:
    """The best ``limit`` (entry id, score) by descending score, ties by ascending id."""
    expr = to_tsquery(query)
    if not expr or limit <= 0:
        return []
    return [(int(i), float(s)) for i, s in _rows(conn, _RANKED_DBAPI, {"q": expr, "n": limit})]


def match_ids(conn: Connection, query: Query) -> np.ndarray:
    """Sorted entry ids of every entry matching ``query`` (no scores: cheaper)."""
    expr = to_tsquery(query)
    if not expr:
        return np.zeros(0, np.int64)
    rows = _rows(conn, _IDS_DBAPI, {"q": expr})
    return np.unique(np.fromiter((r[0] for r in rows), np.int64, len(rows)))


def match(conn: Connection, query: Query) -> list[tuple[int, float]]:
    """(entry id, score) of every entry matching ``query``; higher score is better."""
    expr = to_tsquery(query)
    if not expr:
        return []
    cursor = conn.connection.cursor()  # the DBAPI cursor: many rows, no per-row wrappers
    try:
        cursor.execute(_MATCH_DBAPI, {"q": expr})
        return [(int(i), float(s)) for i, s in cursor.fetchall()]
    finally:
        cursor.close()
