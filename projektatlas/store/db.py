"""Opening a store: resolve the database URL, create the engine, apply migrations."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB_URL = "sqlite:///projektatlas.db"
ENV_DB = "PROJEKTATLAS_DB"
MIGRATIONS = Path(__file__).with_name("migrations")


class StoreError(Exception):
    """The store cannot be opened or used; the message says why."""


def resolve_url(url: str | None = None) -> str:
    """The database URL: an explicit one, else $PROJEKTATLAS_DB, else ./projektatlas.db.

    A bare file path is taken as an SQLite file; ``postgresql://`` URLs use psycopg 3.
    """
    url = url or os.environ.get(ENV_DB) or DEFAULT_DB_URL
    if "://" not in url:
        url = f"sqlite:///{url}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    """An engine for the URL, with SQLite tuned for one writer and many readers."""
    url = resolve_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    command.upgrade(alembic_config(engine), "head")


@cache
def _opened(url: str) -> Engine:
    engine = make_engine(url)
    for attempt in range(3):
        try:
            migrate(engine)
            break
        except (OperationalError, IntegrityError, ProgrammingError) as exc:
            # Another process may be creating the same new SQLite database right now.
            if attempt == 2 or "could not connect" in str(exc) or "connection" in str(exc):
                raise StoreError(f"cannot open the database {engine.url!r}: {exc}") from exc
            time.sleep(0.5)
        except Exception as exc:  # the driver's own message is the helpful part
            raise StoreError(f"cannot open the database {engine.url!r}: {exc}") from exc
    return engine


def open_store(url: str | None = None) -> Engine:
    """An engine on a migrated store (migrations run once per URL and process)."""
    return _opened(resolve_url(url))


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("documents")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
