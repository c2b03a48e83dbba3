"""Bounds on every wait for PostgreSQL: for a connection, for an answer, for a turn at the pool.

A server that is down refuses connections or resets them, and the driver says so at once. A silent one
(a network partition, a hung server or proxy) never answers, and without these bounds a request would
wait for it until its client gave up.
"""

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy.engine import URL
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import AsyncAdaptedQueuePool, ConnectionPoolEntry

from application.errors import DependencyUnavailable

# A statement the server cancels at `statement_timeout` is reported within milliseconds; a client that has
# heard nothing this long after that is facing a server that does not answer at all.
ANSWER_GRACE_SECONDS = 1.0

# TCP keepalive on pooled connections: one left idle across a partition is found dead by the kernel some
# seconds after it goes quiet (then `tcp_user_timeout` decides), before a request picks it and waits in vain.
KEEPALIVE_IDLE_SECONDS = 10
KEEPALIVE_INTERVAL_SECONDS = 2
KEEPALIVE_PROBES = 3


@dataclass(frozen=True, slots=True)
class DatabaseTimeouts:
    connect: int  # whole seconds, at least 2: libpq's rule for `connect_timeout`
    statement: float  # PostgreSQL's `statement_timeout`
    pool: float  # waiting for a free connection

    @property
    def answer(self) -> float:
        """How long the client waits for any answer before it gives the connection up."""
        return self.statement + ANSWER_GRACE_SECONDS

    def engine_options(self, url: URL) -> dict[str, Any]:
        """Options of `create_async_engine` for a PostgreSQL `url`."""
        return {
            "async_creator": self._connector(url),
            "pool_timeout": self.pool,
            "poolclass": BoundedPool,
        }

    def _connector(self, url: URL) -> Callable[[], Awaitable[psycopg.AsyncConnection[Any]]]:
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        answer = self.answer
        connect_timeout = self.connect
        statement_ms = round(self.statement * 1000)

        async def connect() -> psycopg.AsyncConnection[Any]:
            connection = await AnswerBoundConnection.connect(
                conninfo,
                connect_timeout=connect_timeout,
                options=f"-c statement_timeout={statement_ms}",
                # A partition that swallows what was sent fails the connection in the kernel after this long.
                tcp_user_timeout=round(answer * 1000),
                keepalives=1,
                keepalives_idle=KEEPALIVE_IDLE_SECONDS,
                keepalives_interval=KEEPALIVE_INTERVAL_SECONDS,
                keepalives_count=KEEPALIVE_PROBES,
            )
            connection.answer_timeout = answer
            return connection

        return connect


class NoAnswer(psycopg.OperationalError):
    """The server did not answer in time. The connection has been closed; whether a statement that was
    under way took effect is unknown."""


class AnswerBoundConnection(psycopg.AsyncConnection[Any]):
    """A psycopg connection that stops waiting for the server after `answer_timeout` seconds.

    Every round trip (a statement, a commit, a rollback, the pool's ping) goes through `wait`. psycopg
    has no read timeout, and cancelling the waiting task is no way out: psycopg then asks the server to
    cancel the statement and waits for that too, up to ten more seconds on a server that does not answer.
    The socket is shut down instead, so that the driver meets the end of the stream at once and reports
    the connection broken; SQLAlchemy then drops it and every older one from its pool.

    The kernel's TCP timeouts (see `DatabaseTimeouts`) cannot do this alone: they notice a peer that
    stops acknowledging, not one whose TCP stack is alive but whose server, or a proxy in between, is stuck.
    """

    answer_timeout: float = 0.0
    _gave_up = False

    async def wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
        if not self.answer_timeout:
            return await super().wait(gen, *args, **kwargs)
        timer = asyncio.get_running_loop().call_later(self.answer_timeout, self._give_up)
        try:
            return await super().wait(gen, *args, **kwargs)
        except psycopg.OperationalError as error:
            if not self._gave_up:
                raise
            self.pgconn.finish()
            raise NoAnswer(f"no answer from the server in {self.answer_timeout:g} s") from error
        finally:
            timer.cancel()

    def _give_up(self) -> None:
        self._gave_up = True
        with suppress(OSError, psycopg.Error), socket.socket(fileno=os.dup(self.pgconn.socket)) as stream:
            stream.shutdown(socket.SHUT_RDWR)


class BoundedPool(AsyncAdaptedQueuePool):
    """Waiting longer than `pool_timeout` for a connection means the database is too slow to serve:
    DependencyUnavailable, as for any other database that cannot serve (see `adapters.sql.engine`)."""

    def _do_get(self) -> ConnectionPoolEntry:
        try:
            return super()._do_get()
        except PoolTimeout as error:
            raise DependencyUnavailable("database") from error
