"""Lexical index of the embedded store on tantivy: top-k ranking, facet counts, sorted pages.

Why: SQLite FTS5 scores every match (no top-k pruning) and the match set has to leave SQLite
for the facet counts, so a common word at 1 000 000 documents costs a second. tantivy ranks
with block-max WAND and counts facets inside the engine (terms aggregations over fast fields).

Layout: a folder beside the SQLite file (``<db file>.search``). Each entry is one tantivy
document: ``id`` (entry id), the eight analysed term streams of `fields.field_terms` (the same
streams FTS5 gets; tantivy only splits at spaces), one raw multi-valued field per facet
(``f_<facet>``: filters), one single-valued fast field per group of facets (``g_<n>``, see
`FACET_GROUPS`: counts) and the sort keys ``newest`` / ``oldest`` / ``budget``. Queries are
our parsed `query.Query` translated node by node (field weights as boosts), so stems,
compound parts, folding, phrases, prefixes and AND/OR/NOT mean what they mean in FTS5.

Two translations of a query: `Searcher.lexical` (every field with its weight: for ranking)
and `Searcher.matcher` (the same match set from the ``all`` / ``all_f`` fields, which hold
every field's terms, exact and folded, without positions). Counting, facets, sorted pages and
membership only need the set, and one posting list per term instead of eight makes them
several times cheaper. Phrases keep the per-field form in both (positions must not run from
one field into the next).

Facet counts walk the smaller side: the matches, or the rest of the index when more than half
matches (the whole index's counts minus the rest's). Which side is smaller is guessed from the
query terms' document frequencies (`Searcher.estimate`), so no pass is spent counting first.

Consistency with the store (`indexer`): a chunk's rows and its ``search_pending`` outbox rows
are committed to SQLite first, then the same entries are written to tantivy and committed,
then the outbox rows are deleted. A crash in between leaves outbox rows; the next sync deletes
those entries on both sides and indexes them again. One writer at a time (tantivy's lock file;
others wait). Readers reload when the index version in ``search_meta`` changes.

Erasure: `TantivyIndex.clear` deletes every document, commits and garbage-collects the files
of the old segments, so a rebuilt index keeps nothing of what was erased.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy.engine import Connection

from projektatlas.search.analysis import fold
from projektatlas.search.entries import IndexEntry
from projektatlas.search.facets import FACETS
from projektatlas.search.fields import FIELDS, FOLDED_FIELDS, FOLDED_WEIGHTS, WEIGHTS, field_terms
from projektatlas.search.query import And, Not, Or, Phrase, Prefix, Query, Word

ENV_LEXICAL = "PROJEKTATLAS_LEXICAL"  # auto (default) | tantivy | fts5
SCHEMA_VERSION = "4"  # bump when the schema or the document layout changes: full rebuild
FOLDER_SUFFIX = ".search"
WRITER_HEAP = 128_000_000
WRITER_WAIT_S = 300.0
MAX_BUCKETS = 10_000
EACH_MAX_BUCKETS = 65_000  # values of one facet among the matches (tantivy's bucket limit)
# Facets counted together. Each group is one fast field with exactly one value per document:
# the document's values of every facet of the group (`group_value`). A terms aggregation over
# one single-valued column of a few hundred distinct values is several times cheaper than one
# per facet (most of all for multi-valued facets), and its bucket counts add up to the number
# of matches. Facets that often have several values per entry (places, target groups) have a
# group of their own, so that the number of distinct values stays small; when a group still
# has more than `MAX_BUCKETS` among the matches, its facets are counted one by one.
FACET_GROUPS: tuple[tuple[str, ...], ...] = (
    ("kind", "programme_period", "owner_kind", "budget_band"),
    ("programme_area", "specific_objective", "start_year"),
    ("esf_region",),
    ("lan",),
    ("target_group",),
)
FACET_GROUPS += tuple((f,) for f in FACETS if not any(f in g for g in FACET_GROUPS))
_NO_DATE = (1 << 62) - 1  # "oldest" key of an entry without a date: after every date
_REGEX_SPECIAL = re.compile(r"([\\.+*?()|\[\]{}^$#&\-~])")


# Searches run with the GIL released: a query's top-k and its facet aggregations run side by
# side on these threads (the machine has 2 cores; the wall time is the longest, not the sum).
POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="tantivy-search")


class WriterBusy(RuntimeError):
    """Another writer held the index for longer than `WRITER_WAIT_S`."""


def available() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def folder_for(conn: Connection) -> Path | None:
    """The index folder of an SQLite file database; None for other databases."""
    if conn.dialect.name != "sqlite":
        return None
    database = conn.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve().with_name(Path(database).name + FOLDER_SUFFIX)


def wanted_backend(conn: Connection) -> str:
    """``pg``, ``tantivy`` or ``fts5``: what this database's lexical index should be."""
    if conn.dialect.name == "postgresql":
        return "pg"
    choice = os.environ.get(ENV_LEXICAL, "auto").strip().lower() or "auto"
    if choice not in ("auto", "tantivy", "fts5"):
        raise ValueError(f"{ENV_LEXICAL} must be auto, tantivy or fts5, not {choice!r}")
    if choice == "fts5" or folder_for(conn) is None:
        return "fts5"
    if not available():
        if choice == "tantivy":
            raise RuntimeError(f"{ENV_LEXICAL}=tantivy but the tantivy package is not installed")
        return "fts5"
    return "tantivy"


# --------------------------------------------------------------------------- documents


def _ordinal(value: str | None) -> int | None:
    try:
        return date.fromisoformat(value[:10]).toordinal() if value else None
    except ValueError:
        return None


def document_fields(entry: IndexEntry) -> dict[str, Any]:
    """The tantivy document of one entry (every value analysed or derived, none stored)."""
    row: dict[str, Any] = {"id": entry.id, "doc": "1"}
    for name, fname, (exact, folded) in zip(FIELDS, FOLDED_FIELDS, field_terms(entry), strict=True):
        row[name], row[fname] = exact, folded
    row["all"] = " ".join(row[f] for f in FIELDS)
    row["all_f"] = " ".join(row[f] for f in FOLDED_FIELDS)
    by_facet: dict[str, set[str]] = {}
    for facet, value, _label in entry.facets:
        if value and facet in FACETS:
            by_facet.setdefault(facet, set()).add(value[:256])
    for facet, values in by_facet.items():
        row[f"f_{facet}"] = sorted(values)
    for i, group in enumerate(FACET_GROUPS):
        row[f"g_{i}"] = group_value([sorted(by_facet.get(f, ())) for f in group])
    day = _ordinal(entry.sort_date)
    row["newest"] = day if day is not None else -1
    row["oldest"] = day if day is not None else _NO_DATE
    row["budget"] = int(entry.budget_sek) if entry.budget_sek is not None else -1
    return row


def _schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=False, indexed=True, fast=True)
    # one term every document has: its frequency minus the live documents = deleted ones
    builder.add_text_field("doc", tokenizer_name="raw", index_option="basic")
    for name in (*FIELDS, *FOLDED_FIELDS):
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
    for name in ("all", "all_f"):
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="basic")
    for facet in FACETS:
        builder.add_text_field(f"f_{facet}", fast=True, tokenizer_name="raw", index_option="basic")
    for i in range(len(FACET_GROUPS)):
        builder.add_text_field(f"g_{i}", fast=True, tokenizer_name="raw", index_option="basic")
    for key in ("newest", "oldest", "budget"):
        builder.add_integer_field(key, stored=False, indexed=True, fast=True)
    return builder.build()


def group_value(values: list[list[str]]) -> str:
    """The one value of a `FACET_GROUPS` field: the entry's values of each facet of the group
    (JSON: exact for any value)."""
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------- the index


class TantivyIndex:
    """One index folder, opened once per process (`open_index`)."""

    def __init__(self, folder: Path) -> None:
        import tantivy

        self.tv = tantivy
        self.folder = folder
        self.schema = _schema()
        folder.mkdir(parents=True, exist_ok=True)
        marker = folder / "projektatlas-schema"
        if (folder / "meta.json").exists() and (
            not marker.exists() or marker.read_text().strip() != SCHEMA_VERSION
        ):
            _wipe(folder)  # an index of an older layout: the next sync fills a new one
        self.index = tantivy.Index(self.schema, path=str(folder), reuse=True)
        self.index.config_reader(reload_policy="Manual")
        marker.write_text(SCHEMA_VERSION)
        self._version: str | None = None
        self._searcher: Searcher | None = None
        self._lock = threading.Lock()

    def searcher(self, version: str) -> Searcher:
        """A searcher of the index as of store version ``version`` (reloaded when it changes)."""
        with self._lock:
            if self._searcher is None or version != self._version:
                self.index.reload()
                self._searcher = Searcher(self, self.index.searcher())
                self._version = version
            return self._searcher

    @contextmanager
    def writer(self):
        """The index's only writer (waits while another process or thread holds it)."""
        deadline = time.monotonic() + WRITER_WAIT_S
        while True:
            try:
                writer = self.index.writer(heap_size=WRITER_HEAP, num_threads=1)
                break
            except ValueError as exc:
                if "lock" not in str(exc).lower():
                    raise
                if time.monotonic() > deadline:
                    raise WriterBusy(f"the search index {self.folder} is busy: {exc}") from exc
                time.sleep(0.05)
        session = WriterSession(self, writer)
        try:
            yield session
        except BaseException:
            writer.rollback()
            raise
        finally:
            session.close()

    def clear(self) -> None:
        """Delete every document and the files that held them (erasure, rebuild): the commit
        drops the segments and tantivy deletes their files (checked by a test)."""
        with self.writer() as session:
            session.writer.delete_all_documents()
            session.commit()
        self._version = None

    def doc_count(self) -> int:
        """Documents in the committed index (deleted ones not counted)."""
        self.index.reload()
        self._version = None
        return int(self.index.searcher().num_docs)

    def ids(self) -> set[int]:
        """Every entry id the committed index holds (repair only: reads the whole index)."""
        self.index.reload()
        self._version = None
        searcher = self.index.searcher()
        if searcher.num_docs == 0:
            return set()
        hits = searcher.search(
            self.tv.Query.all_query(), searcher.num_docs, count=False, order_by_field="id"
        ).hits
        return {int(v) for v in searcher.fast_field_values("id", [a for _k, a in hits])}


def _wipe(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            path.unlink()


class WriterSession:
    """Writes of one sync: replaced and deleted entries, published by `commit`."""

    def __init__(self, index: TantivyIndex, writer) -> None:
        self.index = index
        self.writer = writer
        self.uncommitted: list[int] = []

    def _delete(self, ids: Sequence[int]) -> None:
        if ids:
            tv = self.index.tv
            self.writer.delete_documents_by_query(
                tv.Query.term_set_query(self.index.schema, "id", list(ids))
            )

    def replace(self, entries: Iterable[IndexEntry]) -> None:
        entries = list(entries)
        self._delete([e.id for e in entries])
        for entry in entries:
            self.writer.add_document(self.index.tv.Document(**document_fields(entry)))
        self.uncommitted.extend(e.id for e in entries)

    def delete(self, ids: Sequence[int]) -> None:
        self._delete(ids)
        self.uncommitted.extend(ids)

    def commit(self) -> list[int]:
        """Publish the writes; the entry ids written since the last commit."""
        self.writer.commit()  # tantivy deletes the files of segments it no longer needs
        done, self.uncommitted = self.uncommitted, []
        return done

    def close(self) -> None:
        self.writer.wait_merging_threads()  # releases the lock; merges finish first
        self.writer = None


_OPEN: dict[Path, TantivyIndex] = {}
_OPEN_LOCK = threading.Lock()


def open_index(folder: Path) -> TantivyIndex:
    with _OPEN_LOCK:
        index = _OPEN.get(folder)
        if index is None or not (folder / "meta.json").exists():
            index = _OPEN[folder] = TantivyIndex(folder)
        return index


def index_for(conn: Connection) -> TantivyIndex:
    folder = folder_for(conn)
    if folder is None:
        raise ValueError("the tantivy index needs an SQLite file database")
    return open_index(folder)


def forget_open() -> None:
    """Drop the per-process index handles (tests; after a folder was removed)."""
    with _OPEN_LOCK:
        _OPEN.clear()


# --------------------------------------------------------------------------- searching


class Searcher:
    """Queries against one consistent set of segments."""

    def __init__(self, index: TantivyIndex, searcher) -> None:
        self.tv = index.tv
        self.schema = index.schema
        self.searcher = searcher
        self._global: dict[str, dict[str, int]] | None = None
        # documents deleted but still in their segments (and in the terms' frequencies)
        self.deleted = max(0, int(searcher.doc_freq("doc", "1")) - int(searcher.num_docs))

    @property
    def size(self) -> int:
        return int(self.searcher.num_docs)

    # -- query building

    def _fields(self, folded: bool) -> list[tuple[str, float, bool]]:
        out = [(f, w, False) for f, w in zip(FIELDS, WEIGHTS, strict=True)]
        if folded:
            out += [(f, w, True) for f, w in zip(FOLDED_FIELDS, FOLDED_WEIGHTS, strict=True)]
        return out

    def _combine(self, parts: list, occur, none):
        parts = [p for p in parts if p is not None]
        if not parts:
            return none
        if len(parts) == 1:
            return parts[0]
        return self.tv.Query.boolean_query([(occur, p) for p in parts])

    def any_of(self, parts: list):
        """Documents matching any of ``parts`` (None parts ignored; none: nothing)."""
        return self._combine(parts, self.tv.Occur.Should, self.tv.Query.empty_query())

    def all_of(self, parts: list):
        """Documents matching all of ``parts`` (None parts ignored; none: everything)."""
        return self._combine(parts, self.tv.Occur.Must, self.tv.Query.all_query())

    def _per_field(self, make, folded: bool):
        """``make(field, is_folded)`` on every weighted field (the folded ones too when
        ``folded``), each boosted by its weight, any of them."""
        q = self.tv.Query
        return self.any_of([q.boost_query(make(f, is_f), w) for f, w, is_f in self._fields(folded)])

    def _term(self, term: str, folded: bool):
        return self._per_field(
            lambda f, is_f: self.tv.Query.term_query(self.schema, f, fold(term) if is_f else term),
            folded,
        )

    def _tree(self, node, term, leaf):
        """Words, OR and AND the same way for both translations: ``term(t, folded)`` is one
        analysed term's query, ``leaf(node)`` a phrase's or a prefix's."""
        q, occur = self.tv.Query, self.tv.Occur
        if isinstance(node, Word):
            forms = node.forms
            alts = [term(t, forms.folded) for t in dict.fromkeys(forms.alternatives)]
            if len(forms.part_group) > 1:
                alts.append(self.all_of([term(t, forms.folded) for t in forms.part_group]))
            return self.any_of(alts)
        if isinstance(node, Phrase | Prefix):
            return leaf(node)
        if isinstance(node, Or):
            return self.any_of([self._tree(i, term, leaf) for i in node.items])
        if isinstance(node, And):
            clauses = [
                (occur.MustNot, self._tree(i.item, term, leaf))
                if isinstance(i, Not)
                else (occur.Must, self._tree(i, term, leaf))
                for i in node.items
            ]
            if all(kind == occur.MustNot for kind, _ in clauses):
                clauses.append((occur.Must, q.all_query()))
            return q.boolean_query(clauses)
        raise TypeError(f"unexpected node {node!r}")

    def _weighted_leaf(self, node):
        q = self.tv.Query
        if isinstance(node, Phrase):
            folded = all(w.forms.folded for w in node.words)
            words = [w.forms.alternatives[0] for w in node.words]
            if len(words) == 1:
                return self._term(words[0], folded)
            return self._per_field(
                lambda f, is_f: q.phrase_query(
                    self.schema, f, [fold(x) for x in words] if is_f else words
                ),
                folded,
            )
        if isinstance(node, Prefix):
            return self._per_field(
                lambda f, is_f: q.regex_query(
                    self.schema, f, _regex_prefix(fold(node.term) if is_f else node.term)
                ),
                node.folded,
            )
        raise TypeError(f"unexpected node {node!r}")

    def _node(self, node):
        return self._tree(node, self._term, self._weighted_leaf)

    def lexical(self, query: Query):
        """The ranking query of a parsed query (weighted fields); None when it is empty."""
        return None if query.is_empty else self._node(query.root)

    def _set_term(self, term: str, folded: bool):
        # the folded stream holds the fold of every exact term: one field gives the whole set
        q = self.tv.Query
        return (
            q.term_query(self.schema, "all_f", fold(term))
            if folded
            else q.term_query(self.schema, "all", term)
        )

    def _set_leaf(self, node):
        if isinstance(node, Prefix):
            field, term = ("all_f", fold(node.term)) if node.folded else ("all", node.term)
            return self.tv.Query.regex_query(self.schema, field, _regex_prefix(term))
        return self._weighted_leaf(node)  # phrases need the positions of one field

    def _set_node(self, node):
        return self._tree(node, self._set_term, self._set_leaf)

    def matcher(self, query: Query):
        """A query with the match set of `lexical` and no useful scores; None when empty."""
        return None if query.is_empty else self._set_node(query.root)

    # -- estimating

    def _df(self, field: str, term: str) -> Estimate:
        df = int(self.searcher.doc_freq(field, term))  # deleted documents included
        return Estimate(max(0, df - self.deleted), min(df, self.size), min(df, self.size))

    def estimate(self, query: Query | None) -> Estimate:
        """How many documents `matcher` ``query`` matches (None: every document), from the
        terms' document frequencies: hard bounds and a guess between them (no pass over
        the postings)."""
        n = self.size
        if query is None or query.is_empty:
            return Estimate(n, n, n)
        return self._estimate(query.root)

    def _estimate(self, node) -> Estimate:
        n = self.size
        if isinstance(node, Word):
            forms = node.forms
            field, conv = ("all_f", fold) if forms.folded else ("all", str)
            alts = [self._df(field, conv(t)) for t in dict.fromkeys(forms.alternatives)]
            if len(forms.part_group) > 1:
                alts.append(_all_of([self._df(field, conv(t)) for t in forms.part_group], n))
            return _any_of(alts, n)
        if isinstance(node, Phrase):
            words = _all_of([self._estimate(w) for w in node.words], n)
            return Estimate(0, words.guess, words.hi)
        if isinstance(node, Prefix):
            return Estimate(0, None, n)  # unknown: counted when it matters
        if isinstance(node, Or):
            return _any_of([self._estimate(i) for i in node.items], n)
        if isinstance(node, And):
            must = [self._estimate(i) for i in node.items if not isinstance(i, Not)]
            out = _all_of(must or [Estimate(n, n, n)], n)
            for item in node.items:
                if isinstance(item, Not):
                    out = _but_not(out, self._estimate(item.item), n)
            return out
        raise TypeError(f"unexpected node {node!r}")

    def within_filters(
        self, match: Estimate, filters: dict[str, list[str]], exclude: str | None = None
    ) -> Estimate:
        """``match`` narrowed by `filter` (same arguments): facets taken as independent of
        the words."""
        n = self.size
        out = match
        for key, values in _narrowing(filters, exclude):
            chosen = [self._df(f"f_{key}", v) for v in values]
            out = _independent(out, _any_of(chosen, n, disjoint=True), n)
        return out

    def ids(self, entry_ids: Iterable[int]):
        return self.tv.Query.term_set_query(self.schema, "id", [int(i) for i in entry_ids])

    def filter(self, filters: dict[str, list[str]], exclude: str | None = None) -> list:
        q = self.tv.Query
        return [
            self.any_of([q.term_query(self.schema, f"f_{key}", v) for v in values])
            for key, values in _narrowing(filters, exclude)
        ]

    # -- running

    def count(self, query) -> int:
        return int(self.searcher.search(query, 1, count=True).count)

    def _entry_ids(self, hits: list) -> list[int]:
        return [int(v) for v in self.searcher.fast_field_values("id", [a for _k, a in hits])]

    def top(self, query, k: int) -> list[tuple[int, float]]:
        """The best ``k`` (entry id, score) by descending score, ties by ascending id."""
        if k <= 0:
            return []
        hits = self.searcher.search(query, k, count=False).hits
        pairs = list(zip(self._entry_ids(hits), (float(s) for s, _a in hits), strict=True))
        pairs.sort(key=lambda p: (-p[1], p[0]))
        return pairs

    def matching(self, query, entry_ids: Sequence[int]) -> set[int]:
        """Which of ``entry_ids`` match ``query``."""
        if not entry_ids:
            return set()
        hits = self.searcher.search(self.all_of([query, self.ids(entry_ids)]), len(entry_ids)).hits
        return set(self._entry_ids(hits))

    def ordered(self, query, key: str, descending: bool, offset: int, limit: int) -> list[int]:
        """Entry ids ``offset:offset + limit`` ordered by the fast field ``key``, ties by entry
        id in the same direction (exact: the tie group at the page edge is fetched by id)."""
        m = offset + limit
        if limit <= 0:
            return []
        order = self.tv.Order.Desc if descending else self.tv.Order.Asc
        hits = self.searcher.search(query, m, count=False, order_by_field=key, order=order).hits
        ids = self._entry_ids(hits)
        pairs = sorted(zip((int(k) for k, _a in hits), ids, strict=True), reverse=descending)
        if len(pairs) < m:
            return [i for _k, i in pairs][offset:m]
        edge = pairs[-1][0]
        better = [i for k, i in pairs if k != edge]
        same = self.tv.Query.range_query(
            self.schema, key, self.tv.FieldType.Integer, edge, edge, True, True
        )
        tie_hits = self.searcher.search(
            self.all_of([query, same]),
            m - len(better),
            count=False,
            order_by_field="id",
            order=order,
        ).hits
        ties = sorted(self._entry_ids(tie_hits), reverse=descending)
        return (better + ties)[offset:m]

    def _aggregate(self, query, facets: Sequence[str]) -> tuple[int, dict[str, dict[str, int]]]:
        """One pass over the matches: (how many, facet -> value -> count)."""
        groups = [i for i, g in enumerate(FACET_GROUPS) if any(f in facets for f in g)] or [0]
        spec = {f"g_{i}": {"terms": {"field": f"g_{i}", "size": MAX_BUCKETS}} for i in groups}
        found = self.searcher.aggregate(query, spec)
        counts: dict[str, dict[str, int]] = {f: {} for f in facets}
        total = 0
        for i in groups:
            result = found.get(f"g_{i}", {})
            buckets = result.get("buckets", [])
            other = int(result.get("sum_other_doc_count") or 0)
            total = other + sum(int(b["doc_count"]) for b in buckets)  # one value per document
            wanted = [f for f in FACET_GROUPS[i] if f in counts]
            if other or result.get("doc_count_error_upper_bound"):
                counts.update(self._aggregate_each(query, wanted))  # too many distinct values
                continue
            for bucket in buckets:
                n = int(bucket["doc_count"])
                for facet, values in zip(FACET_GROUPS[i], json.loads(bucket["key"]), strict=True):
                    if facet in counts:
                        into = counts[facet]
                        for value in values:
                            into[value] = into.get(value, 0) + n
        return total, counts

    def _aggregate_each(self, query, facets: Sequence[str]) -> dict[str, dict[str, int]]:
        """Facet value counts, one terms aggregation per facet (`f_<facet>` fields)."""
        spec = {f: {"terms": {"field": f"f_{f}", "size": EACH_MAX_BUCKETS}} for f in facets}
        found = self.searcher.aggregate(query, spec) if spec else {}
        return {
            f: {b["key"]: int(b["doc_count"]) for b in found.get(f, {}).get("buckets", [])}
            for f in facets
        }

    def _global_counts(self) -> dict[str, dict[str, int]]:
        if self._global is None:
            self._global = self._aggregate(self.tv.Query.all_query(), FACETS)[1]
        return self._global

    def counts(
        self, query, facets: Sequence[str], estimate: Estimate | None = None
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """(documents matching ``query``, facet value counts over them), in one pass over
        the smaller side: the matches, or, when more than half of the index matches, the rest
        (the whole index's counts minus the rest's). The side is chosen by ``estimate``
        (`estimate`); when it cannot tell, the matches are counted first."""
        n = self.size
        if estimate is not None and estimate.hi == 0:
            return 0, {f: {} for f in facets}
        most = None if estimate is None else estimate.matches_most(n)
        if most is None:
            size = self.count(query)
            if size == 0:
                return 0, {f: {} for f in facets}
            most = size * 2 > n
        if not most:
            return self._aggregate(query, facets)
        rest = self.tv.Query.boolean_query(
            [(self.tv.Occur.Must, self.tv.Query.all_query()), (self.tv.Occur.MustNot, query)]
        )
        rest_size, minus = self._aggregate(rest, facets)
        everything = self._global_counts()
        out: dict[str, dict[str, int]] = {}
        for f in facets:
            less = minus.get(f, {})
            out[f] = {
                v: c - less.get(v, 0)
                for v, c in everything.get(f, {}).items()
                if c - less.get(v, 0) > 0
            }
        return n - rest_size, out

    def facet_counts(
        self, match, filters: dict[str, list[str]], estimate: Estimate | None = None
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """(results, facet -> value -> count) for ``match`` within ``filters``; a facet with a
        filter is counted over the other filters' results (multi-select). ``estimate``:
        that of ``match`` (`estimate`), when known."""
        n = self.size
        est = estimate if estimate is not None else Estimate(0, None, n)
        others = {
            facet: POOL.submit(
                self.counts,
                self.all_of([match, *self.filter(filters, exclude=facet)]),
                [facet],
                self.within_filters(est, filters, exclude=facet),
            )
            for facet in filters
            if facet in FACETS
        }  # each filtered facet on its own thread (tantivy releases the GIL)
        final = self.all_of([match, *self.filter(filters)])
        total, counts = self.counts(
            final, [f for f in FACETS if f not in filters], self.within_filters(est, filters)
        )
        for facet, future in others.items():
            counts[facet] = future.result()[1].get(facet, {})
        return total, counts


class Estimate(NamedTuple):
    """Documents a query matches: at least ``lo``, at most ``hi``, probably ``guess`` (None:
    no idea)."""

    lo: int
    guess: int | None
    hi: int

    def matches_most(self, n: int) -> bool | None:
        """Does the query match more than half of ``n`` documents? (None: unknown)"""
        if self.lo * 2 > n:
            return True
        if self.hi * 2 <= n:
            return False
        return None if self.guess is None else self.guess * 2 > n


def _guess(parts: list[Estimate], pick) -> int | None:
    guesses = [p.guess for p in parts]
    return None if None in guesses else pick(guesses)


def _any_of(parts: list[Estimate], n: int, disjoint: bool = False) -> Estimate:
    """A union. Guess: the largest part (a word's forms mostly occur together), or the sum
    (``disjoint``: the values of one facet)."""
    if not parts:
        return Estimate(0, 0, 0)
    hi = min(n, sum(p.hi for p in parts))
    guess = _guess(parts, lambda g: min(hi, sum(g)) if disjoint else max(g))
    return Estimate(max(p.lo for p in parts), guess, hi)


def _all_of(parts: list[Estimate], n: int) -> Estimate:
    """An intersection. Guess: the smallest part (a query's words mostly occur together)."""
    lo = max(0, sum(p.lo for p in parts) - (len(parts) - 1) * n)
    return Estimate(lo, _guess(parts, min), min(p.hi for p in parts))


def _independent(a: Estimate, b: Estimate, n: int) -> Estimate:
    """The intersection of two independent sets (words and facet values)."""
    both = _all_of([a, b], n)
    guess = None if None in (a.guess, b.guess) else a.guess * b.guess // max(n, 1)
    return both._replace(guess=guess)


def _but_not(a: Estimate, b: Estimate, n: int) -> Estimate:
    guess = None if None in (a.guess, b.guess) else a.guess * (n - b.guess) // max(n, 1)
    return Estimate(max(0, a.lo - b.hi), guess, a.hi)


def _narrowing(
    filters: dict[str, list[str]], exclude: str | None = None
) -> Iterator[tuple[str, list[str]]]:
    """(facet, chosen values as indexed) of each filter that narrows the matches, but
    ``exclude``'s (shared by `Searcher.filter` and `Searcher.within_filters`)."""
    for key, values in filters.items():
        if key != exclude and values and key in FACETS:
            yield key, [v[:256] for v in values]


def _regex_prefix(term: str) -> str:
    return _REGEX_SPECIAL.sub(r"\\\1", term) + ".*"
