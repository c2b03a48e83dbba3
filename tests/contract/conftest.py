"""The contract suites' fixtures: each port over its in-memory reference and over every real adapter."""

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.memory.admin_queries import MemoryAuditQueries, MemoryManagedUserQueries
from adapters.memory.clock import FixedClock
from adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from adapters.memory.job_queries import MemoryJobQueries, MemoryRecipientQueries
from adapters.memory.queries import (
    MemoryAccountQueries,
    MemoryArticleQueries,
    MemoryCommentQueries,
    MemoryTagQueries,
)
from adapters.memory.token_store import MemoryTokenStore
from adapters.memory.user_data import MemoryUserDataQueries
from adapters.sql.migrations import upgrade
from adapters.sql.queries import (
    SqlAccountQueries,
    SqlArticleQueries,
    SqlCommentQueries,
    SqlJobQueries,
    SqlRecipientQueries,
    SqlTagQueries,
    SqlUserDataQueries,
)
from adapters.sql.queries.audit import SqlAuditQueries
from adapters.sql.queries.managed_users import SqlManagedUserQueries
from adapters.sql.reader import SqlReader
from adapters.sql.token_store import SqlTokenStore
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from adapters.tokens.redis_store import RedisTokenStore
from application.ports.persistence import UnitOfWork
from application.ports.queries import (
    AccountQueries,
    ArticleQueries,
    AuditQueries,
    CommentQueries,
    JobQueries,
    ManagedUserQueries,
    RecipientQueries,
    TagQueries,
    UserDataQueries,
)
from application.ports.tokens import TokenStore
from domain.ids import UserId, new_user_id
from tests.contract.databases import fresh_postgres_database, reader_on, sessions_on, sqlite_url
from tests.contract.records import CREATED, a_user
from tests.services import REDIS_URL, require_postgres, require_redis

STORAGE_BACKENDS = ["memory", "sqlite", "postgres"]
TOKEN_BACKENDS = ["memory", "sqlite", "postgres", "redis"]


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One migrated SQLite file for the session; tests empty it after themselves."""
    url = sqlite_url(tmp_path_factory.mktemp("contract"))
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One migrated PostgreSQL database for the session, dropped at its end."""
    require_postgres()
    with fresh_postgres_database() as url:
        upgrade(url)
        yield url


@dataclass
class Storage:
    """Units of work and the query services, all sharing one committed state, and the clock that dates
    the jobs the units of work write."""

    backend: str
    clock: FixedClock
    uow: Callable[[], UnitOfWork]
    accounts: AccountQueries
    articles: ArticleQueries
    comments: CommentQueries
    tags: TagQueries
    jobs: JobQueries
    recipients: RecipientQueries
    user_data: UserDataQueries
    managed_users: ManagedUserQueries
    audit_entries: AuditQueries


def memory_storage() -> Storage:
    db, clock = MemoryDatabase(), FixedClock(CREATED)
    return Storage(
        "memory", clock, lambda: MemoryUnitOfWork(db, clock), MemoryAccountQueries(db), MemoryArticleQueries(db),
        MemoryCommentQueries(db), MemoryTagQueries(db), MemoryJobQueries(db), MemoryRecipientQueries(db),
        MemoryUserDataQueries(db), MemoryManagedUserQueries(db), MemoryAuditQueries(db),
    )


def sql_storage(backend: str, factory: async_sessionmaker[AsyncSession], reader: SqlReader) -> Storage:
    clock = FixedClock(CREATED)
    return Storage(
        backend, clock, lambda: SqlUnitOfWork(factory, clock), SqlAccountQueries(reader), SqlArticleQueries(reader),
        SqlCommentQueries(reader), SqlTagQueries(reader), SqlJobQueries(reader), SqlRecipientQueries(reader),
        SqlUserDataQueries(reader), SqlManagedUserQueries(reader), SqlAuditQueries(reader),
    )


@pytest.fixture(params=STORAGE_BACKENDS)
async def storage(request: pytest.FixtureRequest) -> AsyncIterator[Storage]:
    backend = request.param
    if backend == "memory":
        yield memory_storage()
        return
    url = str(request.getfixturevalue(f"{backend}_database"))
    async with sessions_on(url) as factory, reader_on(url) as reader:
        yield sql_storage(backend, factory, reader)


@dataclass
class TokenStoreBench:
    """A token store with what its tests need: its notion of now, a way to let time pass, and users
    (the SQL store's sessions refer to a stored user)."""

    backend: str
    store: TokenStore
    now: Callable[[], datetime]
    wait: Callable[[timedelta], Awaitable[None]]
    new_user: Callable[[], Awaitable[UserId]]


def _clock_bench(backend: str, store: TokenStore, clock: FixedClock,
                 new_user: Callable[[], Awaitable[UserId]]) -> TokenStoreBench:
    async def wait(span: timedelta) -> None:
        clock.advance(span)

    return TokenStoreBench(backend, store, clock.now, wait, new_user)


async def _unstored_user() -> UserId:
    return new_user_id()


@pytest.fixture(params=TOKEN_BACKENDS)
async def bench(request: pytest.FixtureRequest) -> AsyncIterator[TokenStoreBench]:
    backend = request.param
    if backend == "memory":
        clock = FixedClock()
        yield _clock_bench(backend, MemoryTokenStore(clock), clock, _unstored_user)
    elif backend == "redis":
        async with _redis_bench() as redis_bench:
            yield redis_bench
    else:
        url = str(request.getfixturevalue(f"{backend}_database"))
        async with sessions_on(url) as factory:
            clock = FixedClock()

            async def stored_user() -> UserId:
                user = a_user()
                async with SqlUnitOfWork(factory, SystemClock()) as uow:
                    await uow.users.add(user)
                    await uow.commit()
                return user.id

            yield _clock_bench(backend, SqlTokenStore(factory, clock), clock, stored_user)


@asynccontextmanager
async def _redis_bench() -> AsyncIterator[TokenStoreBench]:
    require_redis()
    client = Redis.from_url(REDIS_URL)
    prefix = f"inkwell-test-{secrets.token_hex(6)}"

    async def sleep(span: timedelta) -> None:
        # Redis expires keys by its own clock: only real time passing will do.
        await asyncio.sleep(span.total_seconds())

    try:
        yield TokenStoreBench("redis", RedisTokenStore(client, prefix=prefix), lambda: datetime.now(UTC), sleep,
                              _unstored_user)
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()
