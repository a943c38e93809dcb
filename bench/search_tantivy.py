"""Prototype for the 1 000 000-document target: tantivy fed with our Swedish analysis.

Not part of the product: a measured candidate for the lexical engine of the embedded store
(`bench/search_bench.py --systems tantivy-ours`). It indexes exactly the term streams the
FTS5 table gets (`fields.field_terms`: the exact and the ASCII-folded stream of name, owner,
description and body), split at spaces by tantivy's ``whitespace`` tokenizer, and turns our
parsed query (`query.parse_query`) into tantivy query objects term by term, so analysis,
compound parts, folding, phrases, prefixes and AND/OR/NOT mean what they mean in FTS5. Field
weights are tantivy boosts with the FTS5 weights; tantivy ranks with BM25 per field and
finds the top k with block-max WAND instead of scoring every match.

Facets: every entry's ``key=value`` facet strings go into one multi-valued ``raw`` fast
field; counts over all matches come from a terms aggregation, with the same multi-select
rule as ours (a facet with a filter is counted over the other filters' results). Like ours,
all words are required and a query that finds nothing falls back to any word. What it does
not do: snippets (ours cuts a window and analyses it for the 20 hits of a page, a cost that
does not grow with the index), hybrid fusion, keeping the index in step with the store.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable

from projektatlas.search.analysis import fold
from projektatlas.search.fields import FIELDS, FOLDED_FIELDS, FOLDED_WEIGHTS, WEIGHTS, field_terms
from projektatlas.search.query import And, Not, Or, Phrase, Prefix, Query, Word, parse_query
from projektatlas.search.service import _any_word_query

SEP = "\x1f"  # between facet key and value in the facet field
_REGEX_SPECIAL = re.compile(r"([\\.+*?()|\[\]{}^$#&\-~])")


class TantivyOurs:
    """An index built from bench documents (``Doc`` of `search_bench`) and a query runner."""

    def __init__(self, docs: list, threads: int = 2, heap: int = 400_000_000) -> None:
        import tantivy

        self.tv = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("id", stored=True, indexed=False)
        for name in (*FIELDS, *FOLDED_FIELDS):
            builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        builder.add_text_field("facet", fast=True, tokenizer_name="raw", index_option="basic")
        self.schema = builder.build()
        self.folder = tempfile.mkdtemp(prefix="tantivy_ours_")
        self.index = tantivy.Index(self.schema, path=self.folder)
        self.analysis_s = self.engine_s = 0.0
        started = time.perf_counter()
        writer = self.index.writer(heap_size=heap, num_threads=threads)
        for d in docs:  # streamed: at 1 000 000 documents the term rows would not fit twice
            t = time.perf_counter()
            row = self._row(d.entry)
            self.analysis_s += time.perf_counter() - t
            writer.add_document(tantivy.Document(**row))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.engine_s = time.perf_counter() - started - self.analysis_s
        self.searcher = self.index.searcher()
        self.last_facets: dict[str, dict[str, int]] = {}

    @staticmethod
    def _row(entry) -> dict:
        row: dict = {"id": entry.id}
        for name, fname, (exact, folded) in zip(
            FIELDS, FOLDED_FIELDS, field_terms(entry), strict=True
        ):
            row[name], row[fname] = exact, folded
        row["facet"] = sorted({f"{key}{SEP}{value}" for key, value, _label in entry.facets})
        return row

    # ------------------------------------------------------------------ query translation

    def _fields(self, folded: bool) -> list[tuple[str, float, bool]]:
        out = [(f, w, False) for f, w in zip(FIELDS, WEIGHTS, strict=True)]
        if folded:
            out += [(f, w, True) for f, w in zip(FOLDED_FIELDS, FOLDED_WEIGHTS, strict=True)]
        return out

    def _any(self, parts: list) -> object:
        q = self.tv.Query
        if len(parts) == 1:
            return parts[0]
        return q.boolean_query([(self.tv.Occur.Should, p) for p in parts])

    def _all(self, parts: list) -> object:
        q = self.tv.Query
        if len(parts) == 1:
            return parts[0]
        return q.boolean_query([(self.tv.Occur.Must, p) for p in parts])

    def _term_anywhere(self, term: str, folded: bool) -> object:
        q = self.tv.Query
        return self._any(
            [
                q.boost_query(q.term_query(self.schema, f, fold(term) if is_f else term), w)
                for f, w, is_f in self._fields(folded)
            ]
        )

    def _node(self, node) -> object:
        q, occur = self.tv.Query, self.tv.Occur
        if isinstance(node, Word):
            forms = node.forms
            alts = [self._term_anywhere(t, forms.folded) for t in dict.fromkeys(forms.alternatives)]
            if len(forms.part_group) > 1:
                alts.append(
                    self._all([self._term_anywhere(t, forms.folded) for t in forms.part_group])
                )
            return self._any(alts)
        if isinstance(node, Phrase):
            folded = all(w.forms.folded for w in node.words)
            words = [w.forms.alternatives[0] for w in node.words]
            if len(words) == 1:
                return self._term_anywhere(words[0], folded)
            return self._any(
                [
                    q.boost_query(
                        q.phrase_query(self.schema, f, [fold(w) for w in words] if is_f else words),
                        w,
                    )
                    for f, w, is_f in self._fields(folded)
                ]
            )
        if isinstance(node, Prefix):
            return self._any(
                [
                    q.boost_query(
                        q.regex_query(
                            self.schema,
                            f,
                            _REGEX_SPECIAL.sub(r"\\\1", fold(node.term) if is_f else node.term)
                            + ".*",
                        ),
                        w,
                    )
                    for f, w, is_f in self._fields(node.folded)
                ]
            )
        if isinstance(node, Or):
            return self._any([self._node(i) for i in node.items])
        if isinstance(node, And):
            clauses = [
                (occur.MustNot, self._node(i.item))
                if isinstance(i, Not)
                else (occur.Must, self._node(i))
                for i in node.items
            ]
            return q.boolean_query(clauses)
        raise TypeError(f"unexpected node {node!r}")

    def _filter(self, filters: dict[str, list[str]], exclude: str | None = None) -> list:
        q = self.tv.Query
        return [
            self._any([q.term_query(self.schema, "facet", f"{key}{SEP}{v}") for v in values])
            for key, values in filters.items()
            if key != exclude and values
        ]

    def _combined(self, lexical, filters: dict[str, list[str]], exclude: str | None = None):
        parts = ([lexical] if lexical is not None else []) + self._filter(filters, exclude)
        return self._all(parts) if parts else self.tv.Query.all_query()

    # ------------------------------------------------------------------ running

    def _counts(self, query) -> dict[str, dict[str, int]]:
        agg = self.searcher.aggregate(query, {"f": {"terms": {"field": "facet", "size": 100_000}}})
        out: dict[str, dict[str, int]] = {}
        for bucket in agg["f"]["buckets"]:
            key, _, value = bucket["key"].partition(SEP)
            out.setdefault(key, {})[value] = bucket["doc_count"]
        return out

    def _none(self, lexical, filters: dict) -> bool:
        """True when the words alone match nothing (ours falls back before filtering)."""
        return not filters or self.searcher.search(lexical, 1, count=True).count == 0

    def run(self, q: str, filters: dict | None = None, limit: int = 20) -> list[int]:
        """Entry ids of the best ``limit`` hits; facet counts land in ``last_facets``."""
        filters = filters or {}
        parsed = parse_query(q)
        if parsed.is_empty and not filters:
            self.last_facets = {}
            return []
        lexical = None if parsed.is_empty else self._node(parsed.root)
        full = self._combined(lexical, filters)
        result = self.searcher.search(full, limit, count=True)
        if result.count == 0 and lexical is not None and self._none(lexical, filters):
            fallback: Query | None = _any_word_query(parsed)
            if fallback is not None:
                lexical = self._node(fallback.root)
                full = self._combined(lexical, filters)
                result = self.searcher.search(full, limit, count=True)
        counts = self._counts(full)
        for key in filters:  # multi-select: a filtered facet counts the other filters' results
            counts[key] = self._counts(self._combined(lexical, filters, exclude=key)).get(key, {})
        self.last_facets = counts
        return [self.searcher.doc(addr)["id"][0] for _score, addr in result.hits]


def build_tantivy_ours(docs: list) -> tuple[float, Callable, TantivyOurs] | None:
    """(build seconds: analysis + engine, query runner, the index) or None without tantivy."""
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return None
    index = TantivyOurs(docs)
    return index.analysis_s + index.engine_s, index.run, index
