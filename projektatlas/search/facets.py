"""Facets: values per entry in ``search_facets`` (entry, facet, value, label), counted in numpy.

Facet values (see `entries`): ``kind`` (project or the document kind), ``programme_period``,
``esf_region`` (the project's region; for documents the ESF regions of their place facts),
``lan`` (county code; label = county name; from the project's region's län, else from place
facts), ``programme_area``, ``specific_objective``, ``owner_kind``, ``target_group``
(taxonomy id; label = Swedish label), ``start_year``, ``budget_band`` (ESF support, else
total budget). ``method`` is stored too (used by `similar`) but not offered as a facet.

Filters: values of one facet are OR-ed, different facets AND-ed. Counts are over ALL
matching entries: for a facet without a filter, over the result set; for a facet with a
filter, over the results of the other filters (the usual multi-select behaviour), so every
count is exactly the total you get by choosing that one value for that facet.

The table is loaded once per process into arrays (`FacetTable.load`) and reloaded when the
index version changes (`projektatlas.search.snapshot`). Each column is kept sorted by entry
position with a CSR row pointer (and a dense code array when every entry has at most one
value), so counting over a match set costs in proportion to the matches, not to the index
(`FacetTable.counts_at`); value masks come from per-value position lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import Connection

FACETS = (
    "kind",
    "programme_period",
    "esf_region",
    "lan",
    "programme_area",
    "specific_objective",
    "owner_kind",
    "target_group",
    "start_year",
    "budget_band",
)
HIDDEN_FACETS = ("method",)

_ROWS = text("SELECT entry_id, facet, value, label FROM search_facets")


@dataclass
class FacetColumn:
    """One facet: its distinct values and the (entry position, value code) pairs.

    ``pos`` is sorted; ``indptr[p]:indptr[p + 1]`` are the pairs of position ``p``;
    ``dense[p]`` is the one code of ``p`` (-1: none) when no entry has two values.
    """

    values: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    code_of: dict[str, int] = field(default_factory=dict)
    pos: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    code: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    indptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    dense: np.ndarray | None = None
    _by_code: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    def finish(self, size: int) -> None:
        """Sort the pairs by position and build the row pointer (after loading)."""
        order = np.argsort(self.pos, kind="stable")
        self.pos, self.code = self.pos[order], self.code[order]
        self.indptr = np.searchsorted(self.pos, np.arange(size + 1)).astype(np.int64)
        self.dense = None
        if size and (self.pos.size == 0 or int(np.diff(self.indptr).max()) <= 1):
            self.dense = np.full(size, -1, np.int32)
            self.dense[self.pos] = self.code
        self._by_code = {}

    def positions_of(self, code: int) -> np.ndarray:
        """Sorted positions holding value ``code`` (cached)."""
        found = self._by_code.get(code)
        if found is None:
            found = self._by_code[code] = self.pos[self.code == code]
        return found

    def codes_at(self, positions: np.ndarray) -> np.ndarray:
        """The value codes of ``positions`` (every pair, so a position may appear twice)."""
        if self.dense is not None:
            codes = self.dense[positions]
            return codes[codes >= 0]
        starts = self.indptr[positions]
        lengths = self.indptr[positions + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(0, np.int32)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return self.code[offsets + np.arange(total)]


def normalise_filters(filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Known facets only, values as strings, empty ones dropped, duplicates removed."""
    out: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if name not in FACETS and name not in HIDDEN_FACETS:
            continue
        if isinstance(values, str):
            values = [values]
        kept = list(dict.fromkeys(str(v) for v in values if v is not None and str(v) != ""))
        if kept:
            out[name] = kept
    return out


class FacetTable:
    """Entry ids (sorted) and every facet column as arrays over entry positions."""

    def __init__(self, ids: np.ndarray, columns: dict[str, FacetColumn]) -> None:
        self.ids = ids
        self.columns = columns

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])

    @classmethod
    def load(cls, conn: Connection, ids: np.ndarray) -> FacetTable:
        raw: dict[str, tuple[list[int], list[int]]] = {}
        columns: dict[str, FacetColumn] = {}
        for entry, facet, value, label in conn.execute(_ROWS):
            col = columns.get(facet)
            if col is None:
                col = columns[facet] = FacetColumn()
                raw[facet] = ([], [])
            code = col.code_of.get(value)
            if code is None:
                code = col.code_of[value] = len(col.values)
                col.values.append(value)
                col.labels.append(label or value)
            raw[facet][0].append(entry)
            raw[facet][1].append(code)
        for facet, (entries, codes) in raw.items():
            pos = np.searchsorted(ids, np.asarray(entries, np.int64))
            pos = np.clip(pos, 0, max(len(ids) - 1, 0))
            ok = ids[pos] == np.asarray(entries, np.int64) if len(ids) else np.zeros(0, bool)
            columns[facet].pos = pos[ok]
            columns[facet].code = np.asarray(codes, np.int32)[ok]
        for col in columns.values():
            col.finish(len(ids))
        return cls(ids, columns)

    def positions(self, entry_ids: np.ndarray) -> np.ndarray:
        """Positions of ``entry_ids`` (entries not in the table are dropped)."""
        entry_ids = np.asarray(entry_ids, np.int64)
        if self.size == 0 or entry_ids.size == 0:
            return np.zeros(0, np.int64)
        pos = np.clip(np.searchsorted(self.ids, entry_ids), 0, self.size - 1)
        return pos[self.ids[pos] == entry_ids]

    def value_mask(self, facet: str, values: list[str]) -> np.ndarray:
        mask = np.zeros(self.size, bool)
        col = self.columns.get(facet)
        if col is None:
            return mask
        for value in values:
            code = col.code_of.get(value)
            if code is not None:
                mask[col.positions_of(code)] = True
        return mask

    def filter_mask(self, filters: dict[str, list[str]], exclude: str | None = None) -> np.ndarray:
        """Entries passing every filter (OR within a facet, AND across), but ``exclude``."""
        mask = np.ones(self.size, bool)
        for facet, values in filters.items():
            if facet != exclude:
                mask &= self.value_mask(facet, values)
        return mask

    def counts(self, matched: np.ndarray, filters: dict[str, list[str]]) -> dict[str, list[dict]]:
        """Facet counts: ``matched`` is the query's match mask before any filter."""
        return self.counts_at(np.flatnonzero(matched), filters)

    def counts_at(
        self,
        matched: np.ndarray,
        filters: dict[str, list[str]],
        masks: dict[str | None, np.ndarray] | None = None,
    ) -> dict[str, list[dict]]:
        """Facet counts over the sorted match positions ``matched`` (before any filter).

        ``masks`` may hold precomputed `filter_mask` results keyed by the excluded facet
        (None: all filters).
        """
        masks = masks if masks is not None else {}

        def mask(exclude: str | None) -> np.ndarray:
            if exclude not in masks:
                masks[exclude] = self.filter_mask(filters, exclude=exclude)
            return masks[exclude]

        matched = np.asarray(matched, np.int64)
        final = matched[mask(None)[matched]] if filters else matched
        out: dict[str, list[dict]] = {}
        for facet in FACETS:
            col = self.columns.get(facet)
            if col is None or not col.values:
                out[facet] = []
                continue
            if facet in filters:
                others = mask(facet) if len(filters) > 1 else None
                base = matched if others is None else matched[others[matched]]
            else:
                base = final
            counts = np.bincount(col.codes_at(base), minlength=len(col.values))
            order = sorted(
                (
                    i
                    for i in np.flatnonzero(counts).tolist()
                    + [col.code_of[v] for v in filters.get(facet, ()) if v in col.code_of]
                ),
                key=lambda i: (-int(counts[i]), col.values[i]),
            )
            out[facet] = [
                {"value": col.values[i], "label": col.labels[i], "count": int(counts[i])}
                for i in dict.fromkeys(order)
            ]
        return out

    def values_of(self, position: int) -> dict[str, dict[str, str]]:
        """facet -> {value: label} of one entry (for `similar` reasons)."""
        out: dict[str, dict[str, str]] = {}
        for facet, col in self.columns.items():
            hits = col.code[col.indptr[position] : col.indptr[position + 1]]
            if hits.size:
                out[facet] = {col.values[c]: col.labels[c] for c in hits.tolist()}
        return out
