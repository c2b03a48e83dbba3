"""The read side's connection to the database: one statement at a time, outside any transaction."""

import asyncio
from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Executable
from sqlalchemy.engine import Result
from sqlalchemy.exc import DBAPIError

from adapters.sql.engine import READ_POOL_SIZE, create_engine
from application.errors import DependencyUnavailable


class SqlReader:
    """Runs read-only statements on an engine of its own.

    Each read answers its question in one SELECT, so it needs no transaction: on PostgreSQL the
    connections are in autocommit mode, which saves the `BEGIN` and `ROLLBACK` round trips of a
    session and keeps psycopg's prepared statements, which a `ROLLBACK` would discard. The pool does
    not ping a connection before lending it (another round trip per read); a read that meets a
    connection the server has dropped (a restart) is run once more instead, since reading twice is
    harmless and the pool has by then discarded every connection that predates the failure.
    On SQLite the reads take no write lock (see `adapters.sql.engine`).
    """

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url, read_only=True)
        self._turns: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()

    async def run(self, statement: Executable, parameters: Mapping[str, Any] | None = None) -> Result[Any]:
        """The statement's rows, fetched in full before the connection goes back to the pool.

        Statements on the request path are built once, with bound parameters for the values, and
        reused: SQLAlchemy then finds the compiled form at once instead of building and hashing a
        new statement tree on every call."""
        try:
            return await self._run(statement, parameters)
        except DependencyUnavailable as error:
            if not _dropped_connection(error):
                raise
        return await self._run(statement, parameters)

    async def _run(self, statement: Executable, parameters: Mapping[str, Any] | None) -> Result[Any]:
        async with self._turn(), self.engine.connect() as connection:
            return await connection.execute(statement, parameters)

    def _turn(self) -> asyncio.Semaphore:
        """Readers wait for a connection here, first come first served, never in the pool itself. The
        pool's queue lets a newcomer take a connection just handed back while a woken waiter goes to
        the back of the line again: under load a few reads waited a second while the median waited
        milliseconds. A semaphore belongs to one event loop; each loop that reads gets its own."""
        loop = asyncio.get_running_loop()
        turn = self._turns.get(loop)
        if turn is None:
            turn = self._turns[loop] = asyncio.Semaphore(READ_POOL_SIZE)
        return turn

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def close(self) -> None:
        await self.engine.dispose()


def _dropped_connection(error: DependencyUnavailable) -> bool:
    cause = error.__cause__
    return isinstance(cause, DBAPIError) and cause.connection_invalidated
