"""The search service: `search` and `similar` (the contract shared with the web layer).

    search(session, q, filters=None, limit=20, offset=0, sort="relevance", semantic=True)
    similar(session, project_id=None, text=None, k=10)

Ranking: the lexical ranking (bm25 / ts_rank_cd over the Swedish-analysed fields, name >
owner > description > body) fused with the semantic ranking (cosine of e5 embeddings) by
reciprocal rank fusion (k = 60; the semantic ranking weighs 0.5, the lexical 1.0: measured
better than equal weights in bench/search_bench.py) when ``semantic`` is on and the query has a
word. A query
whose words are all required (implicit AND) and that matches nothing lexically is retried
with any of its words (the hits say "matchade delvis"). Semantic-only hits are the nearest
``SEMANTIC_CANDIDATES`` entries above the embedder's similarity floor and within its margin
of the best cosine.

The result set is what both rankings found, within the filters; ``total`` and every facet
count are computed over that whole set (`facets.FacetTable.counts_at`). Snippets come from the
stored, masked text, with highlights (one `snippets.QueryMatcher` per page).

Cost at scale: the lexical index is asked for the best `FULL_RANKING` + 1 matches by score;
when fewer match, that one query gives the whole set and its ranking. Otherwise the ids of all
matches are fetched without scores (for ``total`` and the facets) and the page comes from the
ranking prefix; when filters leave too few of the prefix, the whole ranking is fetched. In the
fusion, lexical matches beyond the prefix count as ranked just after it (exact below
`FULL_RANKING` matches). Match sets, rankings, facet counts, semantic neighbours and filter
masks are memoised per index snapshot (`snapshot.Snapshot.memo`), so paging and repeated
queries skip the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from projektatlas.search import lexical_pg, lexical_sqlite
from projektatlas.search.analysis import fold
from projektatlas.search.entries import PROJECT, entry_id
from projektatlas.search.facets import FACETS, normalise_filters
from projektatlas.search.query import (
    And,
    Or,
    Phrase,
    Prefix,
    Query,
    Word,
    parse_query,
    to_tsquery,
)
from projektatlas.search.semantic import (
    embed_query_cached,
    embedder_for_model,
    semantic_enabled,
)
from projektatlas.search.snapshot import Snapshot, get_snapshot
from projektatlas.search.snippets import ELLIPSIS, QueryMatcher, Snippet, snippet
from projektatlas.search.tables import has_tables, is_postgres

__all__ = ["FACETS", "SORTS", "search", "similar"]

SORTS = ("relevance", "newest", "oldest", "budget")
RRF_K = 60
SEMANTIC_WEIGHT = 0.5  # weight of the semantic ranking in the fusion (lexical: 1.0); bench
SEMANTIC_CANDIDATES = 50
MAX_LIMIT = 500
SNIPPET_CHARS = 240
SNIPPET_WINDOW = 800
FULL_RANKING = 2_000  # up to this many matches are ranked in full; beyond, the best this many

_ROWS = text(
    "SELECT id, entry_type, source_id, title, diarienummer, kind, owner, region, start_date,"
    " esf_support_sek, text FROM search_entries WHERE id IN :ids"
).bindparams(bindparam("ids", expanding=True))
_FACET_ROWS = text(
    "SELECT entry_id, facet, value, label FROM search_facets WHERE entry_id IN :ids"
).bindparams(bindparam("ids", expanding=True))


# --------------------------------------------------------------------------- helpers


def _empty(q: str, limit: int, offset: int, sort: str, filters: dict) -> dict[str, Any]:
    return {
        "query": q,
        "total": 0,
        "limit": limit,
        "offset": offset,
        "sort": sort,
        "hits": [],
        "facets": {f: [] for f in FACETS},
        "filters": filters,
    }


def _has_words(query: Query) -> bool:
    return any(isinstance(leaf, Word | Phrase | Prefix) for leaf in query.leaves())


def _any_word_query(query: Query) -> Query | None:
    """``a b c`` (all required) as ``a OR b OR c``; None for other query shapes."""
    root = query.root
    if isinstance(root, And) and all(isinstance(i, Word | Phrase) for i in root.items):
        words: list = []
        for item in root.items:
            words.extend(item.words if isinstance(item, Phrase) else [item])
        return Query(query.raw, Or(tuple(words)))
    return None


def _lexical(conn: Connection):
    return lexical_pg if is_postgres(conn) else lexical_sqlite


def fuse(
    lexical: list[int], depth: int, in_lexical: set[int], semantic: dict[int, float]
) -> tuple[list[int], dict[int, float]]:
    """Reciprocal rank fusion of a lexical ranking prefix and semantic neighbours.

    Keys are entry ids or snapshot positions (the same order). ``lexical``: the ranked
    prefix; its first ``depth`` are candidates. ``in_lexical``: the semantic keys that match
    lexically (those past the prefix count as ranked just after it). ``semantic``: key ->
    cosine. Returns the candidates by descending score (ties by key) and their scores.
    """
    lex_rank = {k: r + 1 for r, k in enumerate(lexical)}
    beyond = len(lex_rank) + 1
    sem_rank = {k: r + 1 for r, k in enumerate(sorted(semantic, key=lambda k: (-semantic[k], k)))}
    candidates = list(dict.fromkeys([*lexical[:depth], *semantic]))
    scores: dict[int, float] = {}
    for k in candidates:
        r_lex = lex_rank.get(k, beyond if k in in_lexical else None)
        score = 1.0 / (RRF_K + r_lex) if r_lex is not None else 0.0
        if k in sem_rank:
            score += SEMANTIC_WEIGHT / (RRF_K + sem_rank[k])
        scores[k] = score
    return sorted(candidates, key=lambda k: (-scores[k], k)), scores


def _fetch_rows(conn: Connection, ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    return {int(r[0]): tuple(r) for r in conn.execute(_ROWS, {"ids": ids})}


def _needles(query: Query) -> list[list[str]]:
    """Lower-case strings whose first occurrence marks where a snippet should look, most
    telling first: the words' own forms, then their compound parts (a part such as
    "kompetens" occurs in many words; the window must not stop at the first of them)."""
    whole: list[str] = []
    parts: list[str] = []
    for leaf in query.leaves():
        words = leaf.words if isinstance(leaf, Phrase) else (leaf,)
        for word in words:
            if isinstance(word, Prefix):
                whole.append(word.term)
            else:
                whole.extend(word.forms.alternatives)
                parts.extend(word.forms.part_group)
    tiers = []
    for tier in (whole, parts):
        found = [n for n in dict.fromkeys(tier + [fold(n) for n in tier]) if len(n) >= 2]
        if found:
            tiers.append(found)
    return tiers


def _window(body: str, query: Query | None) -> tuple[str, bool, bool]:
    """An 800-character part of ``body`` around the first likely match (snippets are cut
    from it: analysing a whole long text per hit costs milliseconds)."""
    if len(body) <= SNIPPET_WINDOW:
        return body, False, False
    start = 0
    if query is not None and not query.is_empty:
        lowered = body.lower()
        folded = None
        for needles in _needles(query):
            found = [i for n in needles if (i := lowered.find(n)) >= 0]
            if not found:
                folded = fold(lowered) if folded is None else folded
                found = [i for n in needles if (i := folded.find(n)) >= 0]
            if found:
                start = max(0, min(found) - SNIPPET_WINDOW // 4)
                space = body.find(" ", start)
                start = space + 1 if 0 <= space < start + 40 and start > 0 else start
                break
    end = min(len(body), start + SNIPPET_WINDOW)
    return body[start:end], start > 0, end < len(body)


def _hit(
    row: tuple,
    score: float,
    query: Query | None,
    reasons: list[str],
    matcher: QueryMatcher | None = None,
) -> dict[str, Any]:
    (entry, entry_type, source_id, title, diarie, kind, owner, region, start, support, body) = row
    part, cut_before, _cut_after = _window(body or "", query)
    snip = snippet(part, query or parse_query(""), SNIPPET_CHARS, matcher)
    if cut_before and snip.segments and not snip.text_plain.startswith(ELLIPSIS):
        snip = Snippet(
            [(ELLIPSIS, False), *snip.segments], ELLIPSIS + snip.text_plain, snip.matched_terms
        )
    matched: list[str] = []
    if query is not None and not query.is_empty:
        terms = list(snip.matched_terms)
        if not terms:  # matched in the name or owner only
            terms = snippet(title or "", query, SNIPPET_CHARS, matcher).matched_terms
        seen: set[str] = set()
        for term in terms:
            if term.lower() not in seen:
                seen.add(term.lower())
                matched.append(term.lower())
    reason = []
    for r in reasons:
        if r.startswith("matchade") and matched:
            r = f"{r}: {', '.join(matched[:8])}"
        reason.append(r)
    return {
        "type": entry_type,
        "id": int(source_id),
        "diarienummer": diarie,
        "title": title or "",
        "score": round(float(score), 6),
        "snippet": snip.text_plain,
        "snippet_segments": [[t, bool(h)] for t, h in snip.segments],
        "reason": reason,
        "kind": kind if entry_type != PROJECT else None,
        "owner": owner,
        "region": region,
        "start_date": start,
        "esf_support_sek": int(support) if support is not None else None,
    }


def _filter_reason(filters: dict[str, list[str]]) -> str | None:
    if not filters:
        return None
    return "filter: " + "; ".join(f"{k} = {' | '.join(v)}" for k, v in filters.items())


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class LexicalMatches:
    """The lexical match set of one query expression and a prefix of its ranking.

    ``positions``: every matching snapshot position, sorted. ``ranked`` / ``scores``: the
    best positions by descending score (ties by entry id); ``complete`` when that is all of
    them. Memoised per snapshot (`Snapshot.memo`).
    """

    positions: np.ndarray
    ranked: np.ndarray
    scores: np.ndarray
    complete: bool

    @property
    def size(self) -> int:
        return int(self.positions.size)

    def contains(self, positions: np.ndarray) -> np.ndarray:
        """Boolean per position: is it a lexical match?"""
        found = np.searchsorted(self.positions, positions)
        found = np.clip(found, 0, max(self.size - 1, 0))
        return (self.positions[found] == positions) if self.size else np.zeros(len(positions), bool)


_EMPTY_MATCHES = LexicalMatches(
    np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64), True
)


def _to_positions(snap: Snapshot, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Snapshot positions of entry ids and which ids were found (entries newer than the
    snapshot are dropped)."""
    if ids.size == 0 or snap.size == 0:
        return np.zeros(0, np.int64), np.zeros(ids.size, bool)
    pos = np.clip(np.searchsorted(snap.ids, ids), 0, snap.size - 1)
    ok = snap.ids[pos] == ids
    return pos[ok], ok


def _rank_rows(snap: Snapshot, rows: list[tuple[int, float]]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    scores = np.fromiter((r[1] for r in rows), np.float64, len(rows))
    pos, ok = _to_positions(snap, ids)
    return pos, scores[ok]


def _lexical_matches(conn: Connection, snap: Snapshot, query: Query) -> LexicalMatches:
    """Match set and ranking prefix: one ranked query when at most `FULL_RANKING` entries
    match, else the best `FULL_RANKING` ranked plus the ids of all matches."""
    lexical = _lexical(conn)

    def compute() -> LexicalMatches:
        rows = lexical.ranked(conn, query, FULL_RANKING + 1)
        if not rows:
            return _EMPTY_MATCHES
        ranked, scores = _rank_rows(snap, rows)
        if len(rows) <= FULL_RANKING:
            return LexicalMatches(np.sort(ranked), ranked, scores, True)
        positions, _ok = _to_positions(snap, lexical.match_ids(conn, query))
        return LexicalMatches(positions, ranked, scores, False)

    key = ("lexical", lexical.__name__, _query_key(conn, query))
    return snap.memo(key, compute, lambda m: m.size + 2 * int(m.ranked.size))


def _full_ranking(conn: Connection, snap: Snapshot, query: Query) -> LexicalMatches:
    """The whole ranking (needed when filters leave too few of the ranking prefix)."""
    lexical = _lexical(conn)

    def compute() -> LexicalMatches:
        ranked, scores = _rank_rows(snap, lexical.ranked(conn, query, snap.size + 1))
        return LexicalMatches(np.sort(ranked), ranked, scores, True)

    key = ("lexical-full", lexical.__name__, _query_key(conn, query))
    return snap.memo(key, compute, lambda m: 3 * m.size)


def _filter_key(filters: dict[str, list[str]]) -> tuple:
    return tuple((k, tuple(v)) for k, v in sorted(filters.items()))


def _query_key(conn: Connection, query: Query) -> str:
    if is_postgres(conn):
        return to_tsquery(query)
    return lexical_sqlite.match_expression(query)


def _lexical_page(
    conn: Connection,
    snap: Snapshot,
    query: Query,
    matches: LexicalMatches,
    final: np.ndarray,
    depth: int,
) -> tuple[LexicalMatches, np.ndarray, np.ndarray]:
    """(matches, ranked positions within ``final``, their scores) at least ``depth`` deep
    (or all of them); the full ranking is fetched when the prefix is too short."""
    keep = final[matches.ranked]
    if not matches.complete and int(keep.sum()) < depth:
        matches = _full_ranking(conn, snap, query)
        keep = final[matches.ranked]
    return matches, matches.ranked[keep], matches.scores[keep]


def search(
    session: Session,
    q: str,
    filters: dict[str, list[str]] | None = None,
    limit: int = 20,
    offset: int = 0,
    sort: str = "relevance",
    semantic: bool = True,
) -> dict[str, Any]:
    """Search projects and documents; see the module docstring and the contract."""
    q = q if isinstance(q, str) else ("" if q is None else str(q))
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    sort = sort if sort in SORTS else "relevance"
    filters = normalise_filters(filters)
    result = _empty(q, limit, offset, sort, filters)
    conn = session.connection()
    if not has_tables(conn):
        return result
    snap = get_snapshot(conn)
    if snap.size == 0:
        return result
    query = parse_query(q)
    if snap.lexical == "tantivy":
        from projektatlas.search.tantivy_search import search_tantivy

        return search_tantivy(conn, snap, q, query, filters, offset, sort, semantic, result)
    masks = {None: snap.filter_mask(filters)} if filters else {}
    allowed = masks.get(None)
    lexical = _EMPTY_MATCHES
    semantic_sims: dict[int, float] = {}
    partial = False
    if q.strip():
        if not query.is_empty:
            lexical = _lexical_matches(conn, snap, query)
            if lexical.size == 0 and (fallback := _any_word_query(query)) is not None:
                lexical = _lexical_matches(conn, snap, fallback)
                partial, query = lexical.size > 0, fallback
        if semantic and semantic_enabled() and _has_words(parse_query(q)):
            semantic_sims = _semantic(conn, snap, q, allowed, _filter_key(filters))
        matched = lexical.positions
        if semantic_sims:
            matched = np.union1d(matched, np.fromiter(semantic_sims, np.int64))
    else:
        matched = np.arange(snap.size, dtype=np.int64)
    positions = matched[allowed[matched]] if allowed is not None else matched
    result["total"] = int(positions.size)
    if filters:
        for facet in filters:
            if len(filters) > 1:
                masks[facet] = snap.filter_mask(filters, exclude=facet)
    # the counts depend on the match set and the filters only: memoised (paging, repeats)
    facet_key = (
        "facets",
        _query_key(conn, query) if lexical.size else "",
        tuple(sorted(semantic_sims)),
        q.strip() == "",
        _filter_key(filters),
    )
    counted = snap.memo(
        facet_key,
        lambda: snap.facets.counts_at(matched, filters, masks),
        lambda _v: 1 + len(semantic_sims),
    )
    result["facets"] = {f: [dict(v) for v in values] for f, values in counted.items()}
    if positions.size == 0:
        return result

    final = allowed if allowed is not None else np.ones(snap.size, bool)
    scores: dict[int, float] = {}
    depth = offset + limit
    if q.strip() and sort == "relevance":
        if semantic_sims:
            sem = {p: s for p, s in semantic_sims.items() if final[p]}
            lexical, lex_ranked, _lex_scores = _lexical_page(
                conn, snap, query, lexical, final, depth + len(sem)
            )
            sem_keys = np.fromiter(sem, np.int64, len(sem))
            in_lexical = set(sem_keys[lexical.contains(sem_keys)].tolist()) if sem else set()
            order, scores = fuse(lex_ranked.tolist(), depth + len(sem), in_lexical, sem)
        else:
            lexical, lex_ranked, lex_scores = _lexical_page(
                conn, snap, query, lexical, final, depth
            )
            order = lex_ranked[:depth].tolist()
            scores = dict(zip(order, lex_scores[:depth].tolist(), strict=True))
        page = order[offset : offset + limit]
    else:
        key = "newest" if sort == "relevance" else sort
        ordered = snap.sort_order(key)
        if q.strip() or allowed is not None:
            keep = np.zeros(snap.size, bool)
            keep[positions] = True
            ordered = ordered[keep[ordered]]
        page = ordered[offset : offset + limit].tolist()

    page_ids = [int(snap.ids[p]) for p in page]
    lexical_hit = (
        set(np.asarray(page, np.int64)[lexical.contains(np.asarray(page, np.int64))].tolist())
        if page
        else set()
    )
    result["hits"] = page_hits(
        conn,
        page_ids,
        {int(snap.ids[p]): s for p, s in scores.items()},
        {int(snap.ids[p]) for p in lexical_hit},
        {int(snap.ids[p]): s for p, s in semantic_sims.items()},
        partial,
        q,
        query,
        filters,
    )
    return result


def page_hits(
    conn: Connection,
    page_ids: list[int],
    scores: dict[int, float],
    lexical_ids: set[int],
    semantic_by_id: dict[int, float],
    partial: bool,
    q: str,
    query: Query,
    filters: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """The hits of one page of entry ids: rows, snippets and the reasons for each."""
    rows = _fetch_rows(conn, page_ids)
    filter_reason = _filter_reason(filters)
    matcher = QueryMatcher(query) if q.strip() and not query.is_empty else None
    hits = []
    for entry in page_ids:
        row = rows.get(entry)
        if row is None:
            continue
        reasons: list[str] = []
        if entry in lexical_ids:
            reasons.append("matchade delvis" if partial else "matchade")
        if entry in semantic_by_id:
            reasons.append(f"semantiskt närliggande (likhet {semantic_by_id[entry]:.2f})")
        if not q.strip():
            reasons.append("alla poster" if not filters else "listad via filter")
        if filter_reason:
            reasons.append(filter_reason)
        score = scores.get(entry, 0.0)
        hits.append(_hit(row, score, query if q.strip() else None, reasons, matcher))
    return hits


def _semantic(
    conn: Connection, snap: Snapshot, q: str, allowed: np.ndarray | None, filter_key: tuple
) -> dict[int, float]:
    vectors = snap.vectors(conn)
    if vectors is None:
        return {}
    embedder = embedder_for_model(vectors.model)
    if embedder is None:
        return {}

    def compute() -> dict[int, float]:
        qv = embed_query_cached(embedder, q)
        mask = vectors.present if allowed is None else allowed & vectors.present
        top, sims = vectors.top(qv, mask, SEMANTIC_CANDIDATES)
        if sims.size == 0:
            return {}
        floor = max(embedder.min_similarity, float(sims[0]) - embedder.margin)
        keep = sims >= floor
        return dict(zip(top[keep].tolist(), sims[keep].astype(float).tolist(), strict=True))

    key = ("semantic", vectors.model, q, filter_key)
    return dict(snap.memo(key, compute, lambda found: 1 + len(found)))


# --------------------------------------------------------------------------- similar

SIMILAR_FACETS = ("target_group", "method", "esf_region", "programme_period", "lan")
_BOOST = {
    "target_group": 0.05,
    "method": 0.03,
    "esf_region": 0.04,
    "programme_period": 0.02,
    "lan": 0.02,
}
_REASON = {
    "target_group": "samma målgrupp",
    "method": "samma metod",
    "esf_region": "samma region",
    "programme_period": "samma programperiod",
    "lan": "samma län",
}
_PERIOD_RE = re.compile(r"\b(2007|2014|2021)\s*[-–]\s*(2013|2020|2027)\b")


def _features_of_text(value: str) -> dict[str, dict[str, str]]:
    from projektatlas.extract import extract_facts
    from projektatlas.search.entries import _lan_name

    out: dict[str, dict[str, str]] = {f: {} for f in SIMILAR_FACETS}
    for fact in extract_facts(value):
        attrs = fact.attrs or {}
        if fact.type in ("target_group", "method") and isinstance(fact.value, str):
            out[fact.type][fact.value] = str(attrs.get("label_sv") or fact.value)
        elif fact.type == "place":
            if attrs.get("level") == "esf_region" and isinstance(fact.value, str):
                out["esf_region"][fact.value] = fact.value
            elif attrs.get("esf_region"):
                out["esf_region"][str(attrs["esf_region"])] = str(attrs["esf_region"])
            code = attrs.get("code") if attrs.get("level") == "lan" else attrs.get("lan_code")
            if code:
                out["lan"][str(code)] = _lan_name(str(code))
    for a, b in _PERIOD_RE.findall(value):
        out["programme_period"][f"{a}-{b}"] = f"{a}-{b}"
    return out


def _facets_of(conn: Connection, ids: list[int]) -> dict[int, dict[str, dict[str, str]]]:
    out: dict[int, dict[str, dict[str, str]]] = {}
    if not ids:
        return out
    for entry, facet, value, label in conn.execute(_FACET_ROWS, {"ids": ids}):
        if facet in SIMILAR_FACETS:
            out.setdefault(int(entry), {}).setdefault(facet, {})[value] = label or value
    return out


def similar(
    session: Session, project_id: int | None = None, text: str | None = None, k: int = 10
) -> dict[str, Any]:
    """Projects like a stored project or like a free text, with what they share as reasons.

    Candidates are the nearest projects by vector (or, with no vectors, the projects sharing
    most features); each is boosted by shared target groups, methods, region, län and period.
    Raises `projektatlas.service.NotFound` for an unknown project id.
    """
    from projektatlas.service import NotFound

    k = max(1, min(int(k), 100))
    result: dict[str, Any] = {"project_id": project_id, "text": text, "hits": []}
    conn = session.connection()
    if project_id is None and not (text and text.strip()):
        raise ValueError("give a project id or a text")
    if not has_tables(conn):
        if project_id is not None:
            raise NotFound(f"no indexed project {project_id}")
        return result
    snap = get_snapshot(conn)
    own_pos: int | None = None
    if project_id is not None:
        own = entry_id(PROJECT, int(project_id))
        found = snap.facets.positions(np.asarray([own]))
        if found.size == 0:
            raise NotFound(f"no indexed project {project_id}")
        own_pos = int(found[0])
        features = _facets_of(conn, [own]).get(own, {})
    else:
        features = _features_of_text(text or "")
    allowed = snap.is_project.copy()
    if own_pos is not None:
        allowed[own_pos] = False
    sims: dict[int, float] = {}
    vectors = snap.vectors(conn) if semantic_enabled() else None
    embedder = embedder_for_model(vectors.model) if vectors is not None else None
    qv = None
    if vectors is not None and embedder is not None:
        if own_pos is not None and vectors.present[own_pos]:
            qv = vectors.matrix[own_pos]
        elif own_pos is None:
            qv = embed_query_cached(embedder, text or "")
    if qv is not None:
        top, s = vectors.top(qv, allowed & vectors.present, max(50, 5 * k))
        sims = dict(zip(top.tolist(), s.astype(float).tolist(), strict=True))
    else:  # no vectors: the projects sharing the most features
        overlap = np.zeros(snap.size, np.int32)
        for facet, values in features.items():
            if values:
                overlap += snap.facets.value_mask(facet, list(values)).astype(np.int32)
        overlap[~allowed] = 0
        cand = np.flatnonzero(overlap > 0)
        cand = cand[np.argsort(-overlap[cand], kind="stable")][: max(50, 5 * k)]
        sims = {int(p): 0.0 for p in cand}
    cand_ids = {p: int(snap.ids[p]) for p in sims}
    cand_facets = _facets_of(conn, list(cand_ids.values()))
    scored = []
    for p, sim in sims.items():
        theirs = cand_facets.get(cand_ids[p], {})
        score = sim
        reasons: list[str] = []
        for facet in SIMILAR_FACETS:
            shared = [
                lbl for v, lbl in features.get(facet, {}).items() if v in theirs.get(facet, {})
            ]
            if (
                facet == "lan"
                and features.get("esf_region")
                and any(v in theirs.get("esf_region", {}) for v in features["esf_region"])
            ):
                shared = []  # the region already says it
            if shared:
                score += _BOOST[facet] * min(len(shared), 3)
                reasons.append(f"{_REASON[facet]}: {', '.join(sorted(shared)[:4])}")
        if qv is not None:
            reasons.append(f"semantiskt närliggande (likhet {sim:.2f})")
        scored.append((score, p, reasons))
    scored.sort(key=lambda t: (-t[0], int(snap.ids[t[1]])))
    top_k = scored[:k]
    rows = _fetch_rows(conn, [cand_ids[p] for _, p, _ in top_k])
    for score, p, reasons in top_k:
        row = rows.get(cand_ids[p])
        if row is not None:
            result["hits"].append(_hit(row, score, None, reasons))
    return result
