"""Integration fixtures: empty databases on each SQL backend, one per test, and migrated ones."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.migrations import upgrade_async
from adapters.sql.reader import SqlReader
from tests.contract.databases import fresh_postgres_database, reader_on, sessions_on, sqlite_url
from tests.services import require_postgres

SessionFactory = async_sessionmaker[AsyncSession]


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    require_postgres()
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
async def factory(empty_database: str) -> AsyncIterator[SessionFactory]:
    """Sessions on a freshly migrated database of each backend."""
    await upgrade_async(empty_database)
    async with sessions_on(empty_database) as session_factory:
        yield session_factory


@pytest.fixture
async def reader(empty_database: str, factory: SessionFactory) -> AsyncIterator[SqlReader]:
    """The read side's connection to the same migrated database."""
    async with reader_on(empty_database) as reader:
        yield reader
