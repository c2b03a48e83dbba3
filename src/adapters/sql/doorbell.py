"""Hearing that jobs were committed: PostgreSQL's LISTEN/NOTIFY, or a short poll on SQLite."""

import asyncio
import contextlib
import logging

import psycopg
from sqlalchemy.engine import make_url

from adapters.sql.jobs import CHANNEL
from application.ports.jobs import JobDoorbell

log = logging.getLogger("inkwell.jobs")


class PostgresDoorbell(JobDoorbell):
    """LISTENs on its own connection, outside the pool: the job repository NOTIFYs in every transaction
    that queues a job, and PostgreSQL delivers it when (and only if) that transaction commits. A lost
    connection is opened again on the next wait; meanwhile waiting is sleeping."""

    def __init__(self, database_url: str) -> None:
        self._conninfo = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._connection: psycopg.AsyncConnection[tuple[object, ...]] | None = None

    async def wait(self, seconds: float) -> None:
        try:
            connection = await self._listening()
            async for _ in connection.notifies(timeout=seconds, stop_after=1):
                break
        except (psycopg.Error, OSError) as error:
            log.warning("doorbell_unavailable", extra={"error": type(error).__name__})
            await self.close()
            await asyncio.sleep(seconds)

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error, OSError):
                await connection.close()

    async def _listening(self) -> "psycopg.AsyncConnection[tuple[object, ...]]":
        if self._connection is None or self._connection.closed:
            self._connection = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True, connect_timeout=5)
            await self._connection.execute(f"LISTEN {CHANNEL}")
        return self._connection


class PollingDoorbell(JobDoorbell):
    """SQLite has no notifications; a look at the unpublished-jobs index every `interval` seconds costs
    next to nothing and keeps the delay from commit to publication below it."""

    def __init__(self, interval: float = 0.1) -> None:
        self._interval = interval

    async def wait(self, seconds: float) -> None:
        await asyncio.sleep(min(seconds, self._interval))

    async def close(self) -> None:
        return None


def doorbell_for(database_url: str) -> JobDoorbell:
    if make_url(database_url).get_backend_name() == "postgresql":
        return PostgresDoorbell(database_url)
    return PollingDoorbell()
