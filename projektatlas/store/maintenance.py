"""Housekeeping that makes erasure real: rebuild derived indexes and compact the file."""

from __future__ import annotations

from sqlalchemy import Engine, text


def after_erasure(engine: Engine) -> None:
    """Rebuild search indexes from the (now masked) store and reclaim freed pages.

    SQLite keeps deleted rows in free pages until VACUUM; PostgreSQL keeps dead tuples until
    VACUUM. Both are run so that an erased value is gone from the database files.
    """
    try:
        from projektatlas.search.indexer import rebuild_index
    except ImportError:  # search not installed in this build
        rebuild_index = None
    if rebuild_index is not None:
        rebuild_index(engine)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            conn.execute(text("VACUUM"))
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        else:
            conn.execute(text("VACUUM FULL"))
