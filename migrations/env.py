"""Alembic environment: migrates the database named by the Config's `sqlalchemy.url` with an async engine."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from adapters.sql.engine import create_engine
from adapters.sql.tables import metadata

config = context.config
target_metadata = metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can only ALTER a table by rebuilding it; batch mode does that for later revisions.
        render_as_batch=True,
        # The engine makes SQLite DDL transactional too, so a failed upgrade leaves nothing half done.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("the Alembic Config carries no sqlalchemy.url")
    # Foreign keys stay unenforced while migrating: a batch rebuild drops and recreates a
    # table, which would otherwise cascade deletes into the rows that refer to it.
    engine = create_engine(url, enforce_foreign_keys=False)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
