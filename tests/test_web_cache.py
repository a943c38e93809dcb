"""Cached aggregates (key figures, analytics) follow the store as soon as it changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from projektatlas.service import stats
from projektatlas.store.db import open_store, session_scope
from projektatlas.web.app import create_app
from tests.conftest import SEEDS, seed_path

if not SEEDS.is_dir():
    pytest.skip(f"seeds not found at {SEEDS}", allow_module_level=True)


def test_stats_and_analytics_change_after_ingest(sqlite_url):
    from projektatlas.ingest import ingest

    engine = open_store(sqlite_url)
    try:
        assert ingest(engine, [str(seed_path("003"))]).ok
        with TestClient(create_app(engine=engine)) as client:
            before = client.get("/api/stats").json()
            analytics_before = client.get("/api/analytics").json()
            assert client.get("/api/stats").json() == before  # served from the cache
            assert ingest(engine, [str(seed_path("001"))]).ok
            after = client.get("/api/stats").json()
            analytics_after = client.get("/api/analytics").json()
        with session_scope(engine) as s:
            assert after == stats(s)
        assert after["projects"] == before["projects"] + 1
        periods = {r["key"]: r["projects"] for r in analytics_after["by"]["programme_period"]}
        assert periods.get("2021-2027") == 1
        assert analytics_after != analytics_before
    finally:
        engine.dispose()
