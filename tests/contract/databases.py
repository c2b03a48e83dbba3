"""Throwaway SQL databases for tests: a SQLite file or a fresh PostgreSQL database, dropped afterwards."""

import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import Executable, Table, delete, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import create_engine, create_session_factory
from adapters.sql.reader import SqlReader
from adapters.sql.tables import article_totals, audit_events, metadata
from tests.services import POSTGRES_URL


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / f'inkwell-{secrets.token_hex(4)}.db'}"


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty database named `inkwell_test_<hex>` on the test server; yields its URL."""
    server = make_url(POSTGRES_URL)
    name = f"inkwell_test_{secrets.token_hex(6)}"
    maintenance = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@asynccontextmanager
async def sessions_on(url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on a migrated database; every row is deleted again afterwards, also after a
    failure, so that one failing test does not fail the next ones that share the database."""
    engine = create_engine(url)
    try:
        yield create_session_factory(engine)
    finally:
        try:
            async with engine.begin() as connection:
                # The totals row last: deleting articles updates it (a trigger), and would bring it back.
                for table in sorted(reversed(metadata.sorted_tables), key=lambda table: table is article_totals):
                    await connection.execute(_emptying(table, connection.dialect.name))
        finally:
            await engine.dispose()


def _emptying(table: Table, dialect: str) -> Executable:
    # On PostgreSQL a trigger refuses to delete from the append-only audit log; TRUNCATE is what its
    # owner empties it with.
    if table is audit_events and dialect == "postgresql":
        return text(f"TRUNCATE {table.name}")
    return delete(table)


@asynccontextmanager
async def reader_on(url: str) -> AsyncIterator[SqlReader]:
    """The read side's connection to a migrated database, closed afterwards."""
    reader = SqlReader(url)
    try:
        yield reader
    finally:
        await reader.close()
