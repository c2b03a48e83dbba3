"""The read side's connection to the database: one statement at a time, outside any transaction."""

import asyncio
from collections.abc import Mapping
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Executable
from sqlalchemy.engine import Result

from adapters.sql.engine import READ_POOL_SIZE, ConnectionLost, connections_in_use, create_engine
from adapters.sql.timeouts import DatabaseTimeouts
from application.errors import DependencyUnavailable


class SqlReader:
    """Runs read-only statements on an engine of its own.

    Each read answers its question in one SELECT, so it needs no transaction: on PostgreSQL the
    connections are in autocommit mode, which saves the `BEGIN` and `ROLLBACK` round trips of a
    session and keeps psycopg's prepared statements, which a `ROLLBACK` would discard. The pool does
    not ping a connection before lending it (another round trip per read); a read that meets a
    connection the server has dropped (a restart) is run once more instead, since reading twice is
    harmless and the pool has by then discarded every connection that predates the failure. A read
    the server did not answer in time is not run again: it would only wait as long once more.
    On SQLite the reads take no write lock (see `adapters.sql.engine`).
    """

    def __init__(self, url: str, timeouts: DatabaseTimeouts | None = None) -> None:
        self.engine = create_engine(url, read_only=True, timeouts=timeouts)
        # Like every database timeout, PostgreSQL's only (see `create_engine`).
        self._turn_timeout = timeouts.pool if timeouts and self.dialect == "postgresql" else None
        self._turns: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = WeakKeyDictionary()

    async def run(self, statement: Executable, parameters: Mapping[str, Any] | None = None) -> Result[Any]:
        """The statement's rows, fetched in full before the connection goes back to the pool.

        Statements on the request path are built once, with bound parameters for the values, and
        reused: SQLAlchemy then finds the compiled form at once instead of building and hashing a
        new statement tree on every call."""
        try:
            return await self._run(statement, parameters)
        except ConnectionLost:
            return await self._run(statement, parameters)

    async def _run(self, statement: Executable, parameters: Mapping[str, Any] | None) -> Result[Any]:
        turn = self._turn()
        await self._wait_for(turn)
        try:
            async with self.engine.connect() as connection:
                return await connection.execute(statement, parameters)
        finally:
            turn.release()

    async def _wait_for(self, turn: asyncio.Semaphore) -> None:
        """A turn that cannot be had within the pool timeout means the database is too slow to serve.
        A free turn is taken without arming a timer: that is every read but in a burst."""
        if not turn.locked() or self._turn_timeout is None:
            await turn.acquire()
            return
        try:
            async with asyncio.timeout(self._turn_timeout):
                await turn.acquire()
        except TimeoutError as error:
            raise DependencyUnavailable("database") from error

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

    def connections_in_use(self) -> int:
        """Connections lent to reads right now, for monitoring."""
        return connections_in_use(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def close(self) -> None:
        await self.engine.dispose()

