"""Every wait on PostgreSQL is bounded: for an answer, for a statement, for a turn at the pool. A read that
meets a connection a restart dropped runs again; one the server did not answer does not.

PostgreSQL is reached through a TCP proxy that a test takes down (as in a restart) or silences (as in a
partition)."""

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

from adapters.sql.engine import ConnectionLost, create_engine
from adapters.sql.reader import SqlReader
from adapters.sql.timeouts import DatabaseTimeouts
from application.errors import DependencyUnavailable
from tests.services import POSTGRES_URL, address, require_postgres
from tests.tcp_proxy import TcpProxy, tcp_proxy

pytestmark = pytest.mark.postgres

TIMEOUTS = DatabaseTimeouts(connect=2, statement=0.5, pool=0.5)
SLACK = 1.5  # seconds beyond a bound that a loaded machine may add before the failure is seen


@contextmanager
def proxied_postgres() -> Iterator[tuple[TcpProxy, str]]:
    require_postgres()
    with tcp_proxy(*address(POSTGRES_URL)) as proxy:
        yield proxy, proxy.url(POSTGRES_URL)


@asynccontextmanager
async def reader_through_proxy(timeouts: DatabaseTimeouts = TIMEOUTS) -> AsyncIterator[tuple[TcpProxy, SqlReader]]:
    with proxied_postgres() as (proxy, url):
        reader = SqlReader(url, timeouts)
        try:
            yield proxy, reader
        finally:
            await reader.close()


async def _one(reader: SqlReader) -> object:
    return (await reader.run(sa.text("SELECT 1"))).scalar()


async def test_a_read_the_server_does_not_answer_fails_within_the_answer_timeout_and_is_not_run_again() -> None:
    async with reader_through_proxy() as (proxy, reader):
        assert await _one(reader) == 1
        proxy.blackhole()
        started = time.monotonic()
        with pytest.raises(DependencyUnavailable) as failure:
            await _one(reader)
        assert not isinstance(failure.value, ConnectionLost)
        assert time.monotonic() - started <= TIMEOUTS.answer + SLACK  # one wait, not a second one on a retry
        proxy.restore()
        assert await _one(reader) == 1


async def test_a_new_connection_the_server_does_not_accept_fails_within_the_connect_timeout() -> None:
    async with reader_through_proxy() as (proxy, reader):
        proxy.blackhole()
        started = time.monotonic()
        with pytest.raises(DependencyUnavailable):
            await _one(reader)
        assert time.monotonic() - started <= TIMEOUTS.connect + SLACK


async def test_a_statement_past_the_statement_timeout_is_unavailable_and_its_connection_stays_usable() -> None:
    async with reader_through_proxy() as (_, reader):
        with pytest.raises(DependencyUnavailable):
            await reader.run(sa.text("SELECT pg_sleep(5)"))
        assert await _one(reader) == 1


async def test_reads_on_connections_a_restart_dropped_run_again_on_new_ones() -> None:
    async with reader_through_proxy() as (proxy, reader):
        await asyncio.gather(*(reader.run(sa.text("SELECT pg_sleep(0.05)")) for _ in range(10)))  # ten pooled
        proxy.down()
        proxy.up()
        assert await asyncio.gather(*(_one(reader) for _ in range(10))) == [1] * 10


async def test_a_read_waits_for_a_turn_no_longer_than_the_pool_timeout() -> None:
    patient = DatabaseTimeouts(connect=2, statement=5, pool=0.5)
    async with reader_through_proxy(patient) as (_, reader):
        busy = [asyncio.create_task(reader.run(sa.text("SELECT pg_sleep(2)"))) for _ in range(10)]
        await asyncio.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(DependencyUnavailable):
            await _one(reader)
        assert time.monotonic() - started <= patient.pool + SLACK
        await asyncio.gather(*busy)


async def test_a_unit_of_work_waits_for_a_connection_no_longer_than_the_pool_timeout() -> None:
    with proxied_postgres() as (_, url):
        engine = create_engine(url, timeouts=TIMEOUTS)
        try:
            pool = engine.pool
            assert isinstance(pool, QueuePool)
            async with AsyncExitStack() as held:
                for _ in range(pool.size() + pool._max_overflow):
                    await held.enter_async_context(engine.connect())
                started = time.monotonic()
                with pytest.raises(DependencyUnavailable):
                    async with engine.connect():
                        pass
                assert time.monotonic() - started <= TIMEOUTS.pool + SLACK
        finally:
            await engine.dispose()
