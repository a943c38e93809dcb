"""`service.search` when the lexical index is tantivy (`lexical_tantivy`).

Same contract and the same rules as the array path in `service`: all words required, else
any word ("matchade delvis"); the result set is the lexical matches plus the semantic
neighbours, within the filters; ``total`` and every facet count are over that whole set (a
filtered facet over the other filters' results); relevance is the lexical ranking, fused with
the semantic one by reciprocal rank fusion; other sorts (and an empty query) order by date or
budget with ties by entry id. The difference is where the work happens: the match set never
leaves tantivy. Its size and facet counts come from aggregations, the page from a top-k
search (block-max WAND) or a search ordered by a fast field; only the page's ids come back.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.engine import Connection

from projektatlas.search import lexical_sqlite, lexical_tantivy
from projektatlas.search.facets import FACETS
from projektatlas.search.lexical_tantivy import Estimate
from projektatlas.search.query import Query, parse_query
from projektatlas.search.semantic import semantic_enabled
from projektatlas.search.service import (
    _any_word_query,
    _filter_key,
    _has_words,
    _semantic,
    fuse,
    page_hits,
)
from projektatlas.search.snapshot import Snapshot

log = logging.getLogger(__name__)


def _facet_lists(
    snap: Snapshot, counts: dict[str, dict[str, int]], filters: dict[str, list[str]]
) -> dict[str, list[dict]]:
    """facet -> [{value, label, count}] by descending count, then value; a chosen value is
    listed even when nothing has it (the layout of `facets.FacetTable.counts_at`)."""
    out: dict[str, list[dict]] = {}
    for facet in FACETS:
        col = snap.facets.columns.get(facet)
        found = counts.get(facet, {})
        values = dict(found)
        for chosen in filters.get(facet, ()):
            if col is not None and chosen in col.code_of:
                values.setdefault(chosen, 0)
        if not values:
            out[facet] = []
            continue

        out[facet] = [
            {"value": v, "label": _label(col, v), "count": n}
            for v, n in sorted(values.items(), key=lambda item: (-item[1], item[0]))
        ]
    return out


def _label(col, value: str) -> str:
    code = col.code_of.get(value) if col is not None else None
    return col.labels[code] if code is not None else value


def search_tantivy(
    conn: Connection,
    snap: Snapshot,
    q: str,
    query: Query,
    filters: dict[str, list[str]],
    offset: int,
    sort: str,
    semantic: bool,
    result: dict[str, Any],
) -> dict[str, Any]:
    """Fill ``result`` (made by `service.search`) from the tantivy index."""
    searcher = lexical_tantivy.index_for(conn).searcher(snap.version)
    if searcher.size == 0 and snap.size > 0:
        log.warning(
            "the search index folder beside the database is empty; `projektatlas index` rebuilds it"
        )
    fallback = _any_word_query(query) if q.strip() and not query.is_empty else None
    unknown = None  # whether all the words match nothing, when that has to be counted
    partial = False
    if fallback is not None:
        est = searcher.estimate(query)  # all words: none match / some match / cannot tell
        if est.hi == 0:
            query, partial = fallback, True
        elif est.lo == 0:
            key = ("tantivy-partial", lexical_sqlite.match_expression(query))
            known = snap.peek(key)
            if known:
                query, partial = fallback, True
            elif known is None:
                # counted beside the answer for all the words, which is the one needed
                # unless they match nothing (then the query is answered again, any word)
                all_words = searcher.matcher(query)
                unknown = lexical_tantivy.POOL.submit(
                    snap.memo, key, lambda: searcher.count(all_words) == 0, lambda _v: 1
                )
    sem: dict[int, float] = {}  # entry id -> cosine
    if q.strip() and semantic and semantic_enabled() and _has_words(parse_query(q)):
        allowed = snap.filter_mask(filters) if filters else None
        found = _semantic(conn, snap, q, allowed, _filter_key(filters))
        sem = {int(snap.ids[p]): s for p, s in found.items()}
    _answer(conn, snap, searcher, q, query, filters, offset, sort, sem, partial, result)
    if unknown is not None and unknown.result():
        _answer(conn, snap, searcher, q, fallback, filters, offset, sort, sem, True, result)
    return result


def _answer(
    conn: Connection,
    snap: Snapshot,
    searcher: lexical_tantivy.Searcher,
    q: str,
    query: Query,
    filters: dict[str, list[str]],
    offset: int,
    sort: str,
    sem: dict[int, float],
    partial: bool,
    result: dict[str, Any],
) -> None:
    """``result``'s total, facets and hits for ``query`` (all its words, or any word when
    ``partial``) and the semantic neighbours ``sem``."""
    limit = result["limit"]
    result["hits"] = []
    lex = lex_set = None  # ranking query, match-set query
    if q.strip():
        lex_set = searcher.matcher(query)
        lex = searcher.lexical(query)
        match = searcher.any_of([lex_set, searcher.ids(sem) if sem else None])
        est = searcher.estimate(query) if lex_set is not None else Estimate(0, 0, 0)
        estimate = est._replace(hi=min(searcher.size, est.hi + len(sem)))
    else:
        match = searcher.tv.Query.all_query()
        estimate = searcher.estimate(None)

    lex_key = lexical_sqlite.match_expression(query) if lex is not None else ""
    depth = offset + limit
    ranked = None  # the ranked prefix, computed beside the facet counts
    if q.strip() and sort == "relevance" and lex is not None and limit > 0:
        lex_final = searcher.all_of([lex, *searcher.filter(filters)])
        ranked = lexical_tantivy.POOL.submit(
            snap.memo,
            ("tantivy-top", lex_key, _filter_key(filters), depth + len(sem)),
            lambda: searcher.top(lex_final, depth + len(sem)),
            len,
        )
    key = ("tantivy-facets", lex_key, tuple(sorted(sem)), not q.strip(), _filter_key(filters))
    total, counts = snap.memo(
        key, lambda: searcher.facet_counts(match, filters, estimate), lambda _v: 1 + len(sem)
    )
    result["total"] = total
    result["facets"] = _facet_lists(snap, counts, filters)
    if total == 0 or limit == 0:
        return

    scores: dict[int, float] = {}
    lexical_ids: set[int] = set()
    if q.strip() and sort == "relevance":
        top = ranked.result() if ranked is not None else []
        if sem:
            in_lexical = searcher.matching(lex_set, list(sem)) if lex_set is not None else set()
            lex_order = [i for i, _s in top]
            order, scores = fuse(lex_order, len(lex_order), in_lexical, sem)
            lexical_ids = set(lex_order) | in_lexical
        else:
            order = [i for i, _s in top]
            scores = dict(top)
            lexical_ids = set(order)
        page = order[offset : offset + limit]
    else:
        sort_key = "newest" if sort == "relevance" else sort
        final = searcher.all_of([match, *searcher.filter(filters)])
        page = searcher.ordered(final, sort_key, sort_key != "oldest", offset, limit)
        lexical_ids = searcher.matching(lex_set, page) if lex_set is not None else set()
    result["hits"] = page_hits(conn, page, scores, lexical_ids, sem, partial, q, query, filters)
