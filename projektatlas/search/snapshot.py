"""A per-process, read-only snapshot of the index arrays: entry ids, sort keys, facets, vectors.

Loaded on first use per database and reloaded when ``search_meta.version`` changes (every
sync that changed something writes a new version token), so a search after an ingest sees the
new entries. Vectors are loaded lazily, only for semantic queries and `similar`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import text
from sqlalchemy.engine import Connection

from projektatlas.search.facets import FacetTable
from projektatlas.search.semantic import from_bytes
from projektatlas.search.tables import get_meta, index_version

_ENTRIES = text("SELECT id, entry_type, sort_date, budget_sek FROM search_entries ORDER BY id")
_VECTORS = text("SELECT entry_id, dim, vec FROM search_vectors WHERE model = :m")


@dataclass
class Vectors:
    model: str
    matrix: np.ndarray  # (n entries, dim) float32, zero rows where an entry has no vector
    present: np.ndarray  # bool per entry


@dataclass
class Snapshot:
    version: str
    ids: np.ndarray
    is_project: np.ndarray
    sort_date: np.ndarray  # proleptic ordinal, -1 when unknown
    budget: np.ndarray  # SEK, -1 when unknown
    facets: FacetTable
    _vectors: Vectors | None = field(default=None, repr=False)
    _vectors_loaded: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def size(self) -> int:
        return int(self.ids.shape[0])

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
    )


def _load_vectors(conn: Connection, ids: np.ndarray) -> Vectors | None:
    model = get_meta(conn, "embedder")
    if not model or ids.size == 0:
        return None
    rows = conn.execute(_VECTORS, {"m": model}).all()
    if not rows:
        return None
    dim = int(rows[0][1])
    matrix = np.zeros((ids.size, dim), np.float32)
    present = np.zeros(ids.size, bool)
    entry_ids = np.asarray([r[0] for r in rows], np.int64)
    pos = np.clip(np.searchsorted(ids, entry_ids), 0, ids.size - 1)
    for k, (row, p) in enumerate(zip(rows, pos.tolist(), strict=True)):
        if ids[p] == entry_ids[k] and int(row[1]) == dim:
            matrix[p] = from_bytes(row[2], dim)
            present[p] = True
    return Vectors(model, matrix, present)


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
