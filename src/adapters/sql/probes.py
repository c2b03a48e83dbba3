"""Readiness of the SQL database: it answers, and its schema is as new as the code."""

import re
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql.engine import READ_ONLY
from adapters.sql.revisions import current_revisions, packaged_revisions
from application.ports.health import DependencyProbe, NotReady, SchemaBehind

# libpq's words, or the server's, for what went wrong, and what an operator would call it. Anything else
# is reported in the driver's own words.
_POSTGRES_PROBLEMS = [
    (re.compile(r"Connection refused"), "nothing listens on {address} (connection refused)"),
    (re.compile(r"failed to resolve host '(?P<host>[^']*)'"), "no host is named {host}"),
    (re.compile(r"timeout expired"), "{address} does not answer (connection timeout)"),
    (re.compile(r'database "(?P<name>[^"]*)" does not exist'), 'database "{name}" does not exist on {address}'),
    (re.compile(r'role "(?P<name>[^"]*)" does not exist'),
     'authentication failed for user "{name}" (no such role on {address})'),
    (re.compile(r'password authentication failed for user "(?P<name>[^"]*)"'),
     'authentication failed for user "{name}" (wrong password)'),
]
# What libpq puts before the server's message: the address it tried, and the message's severity.
_LIBPQ_PREAMBLE = re.compile(r'^(connection failed: )?(connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ '
                             r"failed: )?(FATAL: +)?")


class DatabaseProbe(DependencyProbe):
    name = "database"

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def check(self) -> None:
        async with _reading(self._engine) as connection:
            await connection.execute(sa.text("SELECT 1"))


class SchemaProbe(DependencyProbe):
    """Compares the revision the database is at with the scripts the code ships. A schema found current is
    not read again, since it only moves forward. One found behind is read again at most every
    `recheck_seconds`: readiness, asked every few seconds by every orchestrator, then costs one query now
    and then until someone migrates."""

    name = "schema"

    def __init__(self, engine: AsyncEngine, *, recheck_seconds: float = 2.0) -> None:
        self._engine = engine
        self._recheck_seconds = recheck_seconds
        self._revisions = packaged_revisions()
        self._current = False
        self._last_read: tuple[float, frozenset[str]] | None = None

    async def check(self) -> None:
        if self._current:
            return
        found = await self._found()
        if self._revisions.is_behind(found):
            raise SchemaBehind(current=found, expected=self._revisions.heads)
        self._current = True

    async def _found(self) -> frozenset[str]:
        now = time.monotonic()
        if self._last_read is not None and now - self._last_read[0] < self._recheck_seconds:
            return self._last_read[1]
        try:
            async with _reading(self._engine) as connection:
                found = await current_revisions(connection)
        except NotReady as error:
            raise NotReady(f"not read: {error.reason}") from error
        self._last_read = (now, found)
        return found


@asynccontextmanager
async def _reading(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection that takes no write lock (on SQLite); what goes wrong on it is said in words."""
    try:
        async with engine.connect() as connection:
            yield await connection.execution_options(**READ_ONLY)
    except Exception as error:
        raise NotReady(_in_words(error, engine.url)) from error


def _in_words(error: BaseException, url: URL) -> str:
    """What kept the database from answering, said as an operator would say it."""
    said = str(_driver_error(error) or error).strip()
    if url.get_backend_name() == "sqlite":
        return f"SQLite: {said or type(error).__name__} ({url.database})"
    first_line = said.splitlines()[0] if said else ""
    address = f"{url.host or 'localhost'}:{url.port or 5432}"
    for pattern, words in _POSTGRES_PROBLEMS:
        if (found := pattern.search(first_line)) is not None:
            return "PostgreSQL: " + words.format(address=address, **found.groupdict())
    return f"PostgreSQL: {_LIBPQ_PREAMBLE.sub('', first_line) or type(error).__name__} ({address})"


def _driver_error(error: BaseException) -> BaseException | None:
    """The driver's own error, under SQLAlchemy's wrapping and the engine's DependencyUnavailable."""
    seen: BaseException | None = error
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        visited.add(id(seen))
        if isinstance(seen, DBAPIError) and seen.orig is not None:
            seen = seen.orig
        if isinstance(seen, psycopg.Error | sqlite3.Error):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
