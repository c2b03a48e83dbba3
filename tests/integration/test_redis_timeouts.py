"""The Redis client the container builds: bounded waits, and connections a restart left stale are replaced
without failing a command. Redis is reached through a TCP proxy that a test takes down or silences."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from redis.asyncio import Redis
from redis.exceptions import TimeoutError as RedisTimeoutError

from entrypoints.container.clients import redis_client
from tests.services import REDIS_URL, address, require_redis
from tests.tcp_proxy import TcpProxy, tcp_proxy

pytestmark = pytest.mark.redis

CONNECT, COMMAND = 1.0, 1.0
SLACK = 1.5  # seconds beyond a bound that a loaded machine may add before the failure is seen


@asynccontextmanager
async def client_through_proxy() -> AsyncIterator[tuple[TcpProxy, Redis]]:
    require_redis()
    with tcp_proxy(*address(REDIS_URL)) as proxy:
        client = redis_client(proxy.url(REDIS_URL), connect_timeout=CONNECT, command_timeout=COMMAND)
        try:
            yield proxy, client
        finally:
            await client.aclose()


async def test_a_silent_redis_fails_a_command_within_the_command_timeout_once() -> None:
    async with client_through_proxy() as (proxy, client):
        assert await client.ping()
        proxy.blackhole()
        started = time.monotonic()
        with pytest.raises(RedisTimeoutError):
            await client.exists("anything")
        assert time.monotonic() - started <= COMMAND + SLACK  # not sent again: that would double the wait
        proxy.restore()
        assert await client.ping()


async def test_commands_after_a_restart_succeed_on_every_stale_pooled_connection() -> None:
    async with client_through_proxy() as (proxy, client):
        await asyncio.gather(*(client.ping() for _ in range(8)))  # eight pooled connections
        proxy.down()
        proxy.up()
        assert await asyncio.gather(*(client.exists("anything") for _ in range(8))) == [0] * 8
