"""Engines and session factories for PostgreSQL (psycopg 3) and the embedded SQLite file."""

import os
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, ExceptionContext, make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import QueuePool

from adapters.sql.timeouts import DatabaseTimeouts, NoAnswer
from application.errors import DependencyUnavailable

# Execution option for sessions that only read (queries, token checks). On SQLite they take no
# write lock, so readers do not queue behind writers; see `_begin`.
READ_ONLY: dict[str, Any] = {"inkwell_read_only": True}

SQLITE_BUSY_TIMEOUT_MS = 15_000

# A read holds its connection for one round trip, so a few connections serve many requests. None are
# opened beyond the pool for a burst: opening one costs more than waiting for a turn (see `SqlReader`).
READ_POOL_SIZE = 10


def create_engine(
    url: str, *, enforce_foreign_keys: bool = True, read_only: bool = False, timeouts: DatabaseTimeouts | None = None
) -> AsyncEngine:
    """An engine for `url`. `enforce_foreign_keys=False` is for migrations only: SQLite's batch
    table rebuilds would otherwise cascade deletes into the child tables. A `read_only` engine is
    the `SqlReader`'s: no transactions, no ping before each checkout. `timeouts` bound every wait
    on PostgreSQL; without them (migrations, tests) nothing is cut short."""
    parsed = make_url(url)
    bounded = timeouts.engine_options(parsed) if timeouts and parsed.get_backend_name() == "postgresql" else {}
    if parsed.get_backend_name() == "sqlite":
        _create_owner_only(parsed.database)
        engine = create_async_engine(parsed)
        _configure_sqlite(engine, enforce_foreign_keys=enforce_foreign_keys)
    elif read_only:
        engine = create_async_engine(
            parsed, isolation_level="AUTOCOMMIT", pool_size=READ_POOL_SIZE, max_overflow=READ_POOL_SIZE, **bounded
        )
    else:
        engine = create_async_engine(parsed, pool_pre_ping=True, **bounded)
    event.listen(engine.sync_engine, "handle_error", _unavailable)
    return engine.execution_options(**READ_ONLY) if read_only else engine


def _unavailable(context: ExceptionContext) -> None:
    """A database that cannot be reached (or is locked past the busy timeout) is the callers' trouble in
    one way only: DependencyUnavailable, whatever the driver said. Constraint violations and errors in
    a statement pass through untouched, and so does the pool's pre-ping, which recovers on its own."""
    if context.is_pre_ping:
        return
    cause = context.sqlalchemy_exception or context.original_exception
    if context.is_disconnect and not isinstance(context.original_exception, NoAnswer):
        raise ConnectionLost("database") from cause
    if context.is_disconnect or isinstance(context.sqlalchemy_exception, (OperationalError, InterfaceError)):
        raise DependencyUnavailable("database") from cause


class ConnectionLost(DependencyUnavailable):
    """The server dropped the connection a statement was sent on (it restarted, say). The pool has let
    go of that connection and every older one, so the statement may be tried again on a new one."""


def connections_in_use(engine: AsyncEngine) -> int:
    """Connections `engine`'s pool has lent out and not had back, for monitoring. Pools that keep no
    count (SQLite in memory shares one connection) report none."""
    pool = engine.pool
    return pool.checkedout() if isinstance(pool, QueuePool) else 0


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def _create_owner_only(database: str | None) -> None:
    """Creates a missing SQLite file readable and writable by its owner only, whatever the umask. SQLite
    gives the -wal and -shm files it creates beside it the same permissions. A file that exists is left
    as it is, and one that cannot be created is left to SQLite to report."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        fd = os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _configure_sqlite(engine: AsyncEngine, *, enforce_foreign_keys: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own implicit BEGIN is turned off so that `_begin` decides how a
        # transaction starts; it also makes DDL transactional for migrations.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enforce_foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Connection) -> None:
        # A deferred transaction that reads and then writes fails at once with SQLITE_BUSY
        # in WAL mode when another writer committed in between (the busy timeout does not
        # apply). Writers therefore take the write lock up front and queue on the timeout.
        # Read-only sessions send no BEGIN at all: with the driver in autocommit mode each of
        # their SELECTs is a read transaction of its own, with a consistent snapshot. Each
        # read answers its question in one SELECT, so a shared snapshot would buy nothing and
        # cost a statement per request.
        if not connection.get_execution_options().get("inkwell_read_only"):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
