"""A per-process, read-only snapshot of the index arrays: entry ids, sort keys, facets, vectors.

Loaded on first use per database and reloaded when ``search_meta.version`` changes (every
sync that changed something writes a new version token), so a search after an ingest sees the
new entries. Vectors are loaded lazily, only for semantic queries and `similar`.

A snapshot also memoises, for its version only, what queries keep asking: filter masks per
filter set, the global sort orders, and the lexical match set and ranking prefix per query
expression (`Snapshot.memo`, an LRU bounded by entries and by array size). A new version is a
new snapshot, so nothing memoised can outlive the index it was computed from.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import Connection

from projektatlas.search.facets import FacetTable
from projektatlas.search.semantic import VectorIndex
from projektatlas.search.tables import get_meta, index_version, lexical_backend

_ENTRIES = text("SELECT id, entry_type, sort_date, budget_sek FROM search_entries ORDER BY id")
_VECTORS = text("SELECT entry_id, dim, vec FROM search_vectors WHERE model = :m")


@dataclass
class Vectors:
    model: str
    matrix: np.ndarray  # (n entries, dim) float32, zero rows where an entry has no vector
    present: np.ndarray  # bool per entry
    _index: VectorIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> VectorIndex:
        if self._index is None:
            self._index = VectorIndex(self.matrix, self.present)
        return self._index

    def top(
        self, query: np.ndarray, allowed: np.ndarray | None, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Positions and cosines of the ``k`` nearest ``allowed`` entries (`VectorIndex`)."""
        return self.index.top(query, allowed, k)


@dataclass
class Snapshot:
    version: str
    ids: np.ndarray
    is_project: np.ndarray
    sort_date: np.ndarray  # proleptic ordinal, -1 when unknown
    budget: np.ndarray  # SEK, -1 when unknown
    facets: FacetTable
    lexical: str = "fts5"  # the lexical backend (`tables.lexical_backend`)
    _vectors: Vectors | None = field(default=None, repr=False)
    _vectors_loaded: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _memo: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _memo_items: int = 0
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])

    def memo(self, key: tuple, compute: Callable[[], Any], items: Callable[[Any], int]) -> Any:
        """``compute()`` once per ``key`` for this snapshot (LRU; ``items(value)`` = its size
        in array elements, bounded in total by `MEMO_MAX_ITEMS`)."""
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key][0]
        value = compute()
        size = items(value)
        if size > MEMO_MAX_ITEMS // 4:
            return value
        with self._memo_lock:
            if key not in self._memo:
                self._memo[key] = (value, size)
                self._memo_items += size
            while len(self._memo) > MEMO_MAX_ENTRIES or self._memo_items > MEMO_MAX_ITEMS:
                _old, (_value, old_size) = self._memo.popitem(last=False)
                self._memo_items -= old_size
        return value

    def peek(self, key: tuple) -> Any:
        """The value `memo` holds for ``key``; None when it holds none."""
        with self._memo_lock:
            hit = self._memo.get(key)
            return None if hit is None else hit[0]

    def clear_memo(self) -> None:
        """Forget memoised query results (benchmarks use it to time cold queries)."""
        with self._memo_lock:
            self._memo.clear()
            self._memo_items = 0

    def filter_mask(self, filters: dict[str, list[str]], exclude: str | None = None) -> np.ndarray:
        """`FacetTable.filter_mask`, memoised (read-only array: do not modify)."""
        key = ("filter", exclude, tuple((k, tuple(v)) for k, v in sorted(filters.items())))

        def compute() -> np.ndarray:
            mask = self.facets.filter_mask(filters, exclude=exclude)
            mask.flags.writeable = False
            return mask

        return self.memo(key, compute, lambda m: m.size // 8)

    def sort_order(self, key: str) -> np.ndarray:
        """All positions in ``newest`` / ``oldest`` / ``budget`` order (unknown values last;
        ties: newest and budget by descending id, oldest by ascending id)."""

        def compute() -> np.ndarray:
            everything = np.arange(self.size, dtype=np.int64)
            if key == "budget":
                order = np.lexsort((-self.ids, -self.budget))
            else:
                known = self.sort_date >= 0
                far = np.iinfo(np.int64).max
                if key == "oldest":
                    order = np.lexsort((self.ids, np.where(known, self.sort_date, far)))
                else:
                    order = np.lexsort((-self.ids, np.where(known, -self.sort_date, far)))
            out = everything[order]
            out.flags.writeable = False
            return out

        return self.memo(("order", key), compute, lambda a: a.size)

    def vectors(self, conn: Connection) -> Vectors | None:
        with self._lock:
            if not self._vectors_loaded:
                self._vectors = _load_vectors(conn, self.ids)
                self._vectors_loaded = True
        return self._vectors


def _ordinal(value: str | None) -> int:
    if not value:
        return -1
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return -1


def _load(conn: Connection, version: str) -> Snapshot:
    ids, is_project, dates, budgets = [], [], [], []
    for entry, entry_type, sort_date, budget in conn.execute(_ENTRIES):
        ids.append(entry)
        is_project.append(entry_type == "project")
        dates.append(_ordinal(sort_date))
        budgets.append(-1 if budget is None else budget)
    id_array = np.asarray(ids, np.int64)
    return Snapshot(
        version=version,
        ids=id_array,
        is_project=np.asarray(is_project, bool),
        sort_date=np.asarray(dates, np.int64),
        budget=np.asarray(budgets, np.int64),
        facets=FacetTable.load(conn, id_array),
        lexical=lexical_backend(conn),
    )


def _load_vectors(conn: Connection, ids: np.ndarray) -> Vectors | None:
    model = get_meta(conn, "embedder")
    if not model or ids.size == 0:
        return None
    rows = conn.execute(_VECTORS, {"m": model}).all()
    if not rows:
        return None
    dim = int(rows[0][1])
    rows = [r for r in rows if int(r[1]) == dim and len(r[2]) == 4 * dim]
    matrix = np.zeros((ids.size, dim), np.float32)
    present = np.zeros(ids.size, bool)
    entry_ids = np.asarray([r[0] for r in rows], np.int64)
    pos = np.clip(np.searchsorted(ids, entry_ids), 0, ids.size - 1)
    ok = ids[pos] == entry_ids
    if rows:
        block = np.frombuffer(b"".join(bytes(r[2]) for r in rows), dtype="<f4")
        block = block.reshape(len(rows), dim)
        matrix[pos[ok]] = block[ok]
        present[pos[ok]] = True
    vectors = Vectors(model, matrix, present)
    vectors.index  # noqa: B018 - build the coarse pass (if any) with the snapshot, not per query
    return vectors


MEMO_MAX_ENTRIES = 512
MEMO_MAX_ITEMS = 40_000_000  # array elements over all memoised values (~160-320 MB)

_CACHE: dict[str, Snapshot] = {}
_CACHE_LOCK = threading.Lock()
_LOADING: dict[str, threading.Lock] = {}


def get_snapshot(conn: Connection) -> Snapshot:
    """The snapshot of the index this connection sees (cached per database and version)."""
    key = conn.engine.url.render_as_string(hide_password=True)
    version = index_version(conn)
    with _CACHE_LOCK:
        snap = _CACHE.get(key)
        if snap is not None and snap.version == version:
            return snap
        loading = _LOADING.setdefault(key, threading.Lock())
    # One thread loads, the others wait for it: a cold server under concurrent requests
    # otherwise loads the same arrays once per request thread (seconds each at 100 000).
    with loading:
        with _CACHE_LOCK:
            snap = _CACHE.get(key)
        if snap is None or snap.version != version:
            snap = _load(conn, version)
            with _CACHE_LOCK:
                _CACHE[key] = snap
    return snap


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()
