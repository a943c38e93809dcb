"""Shared fixtures: a fresh store on SQLite and, for tests that take `store_url`, on PostgreSQL.

PostgreSQL tests use a database of their own on the local server
($PROJEKTATLAS_TEST_PG, default postgresql://postgres@127.0.0.1/postgres as admin). Where no
server answers they skip with the reason — except in CI (CI=true), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PG_ADMIN = os.environ.get("PROJEKTATLAS_TEST_PG", "postgresql://postgres@127.0.0.1/postgres")


@pytest.fixture(autouse=True)
def _fast_embedder(monkeypatch):
    """Tests embed with the deterministic hashing embedder (the real model is slow on 2 cores
    and has a test of its own that opts in by setting PROJEKTATLAS_EMBEDDER itself)."""
    monkeypatch.setenv(
        "PROJEKTATLAS_EMBEDDER", os.environ.get("PROJEKTATLAS_TEST_EMBEDDER", "hashing")
    )


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (e.g. "001")."""
    matches = sorted(SEEDS.glob(f"{prefix}_*"))
    if not matches:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return matches[0]


def _pg_admin():
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN}: {exc}")
        pytest.skip(f"no PostgreSQL server reachable at {PG_ADMIN}: {exc}")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A throw-away PostgreSQL database for this test session; its URL."""
    admin = _pg_admin()
    name = f"projektatlas_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _reset_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request, tmp_path) -> str:
    """A URL of an empty store: an SQLite file, then the local PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url = request.getfixturevalue("pg_database")
    _reset_pg(url)
    from projektatlas.store.db import _opened

    _opened.cache_clear()
    return url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def engine(store_url):
    from projektatlas.store.db import open_store

    engine = open_store(store_url)
    yield engine
    engine.dispose()
