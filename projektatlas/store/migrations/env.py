"""Alembic environment: runs on the engine handed over by `projektatlas.store.db.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from projektatlas.store.schema import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # plain `alembic` command line: take the URL from the config
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Two processes opening a new database at once must not both create tables.
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7212001850)")
            context.run_migrations()
        connection.commit()


run()
