"""LimitsRateLimiter on process memory and on Redis: windows, several limits at once, keys apart,
one count shared by every process on one Redis, and Redis down is DependencyUnavailable."""

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from limits.aio.storage import Storage
from redis.asyncio import Redis

from adapters.rate_limiter import LimitsRateLimiter, memory_limits_storage, redis_limits_storage
from application.errors import DependencyUnavailable
from tests.services import REDIS_URL, require_redis

StorageMaker = Callable[[], Storage]


@pytest.fixture(params=["memory", "redis"])
async def storages(request: pytest.FixtureRequest) -> AsyncIterator[StorageMaker]:
    """Makes storages that share their counts: one memory storage, or clients of one Redis."""
    if request.param == "memory":
        shared = memory_limits_storage()
        yield lambda: shared
        return
    require_redis()
    prefix, clients = f"test-{uuid.uuid4().hex[:8]}", []

    def on_redis() -> Storage:
        clients.append(Redis.from_url(REDIS_URL))
        return redis_limits_storage(clients[-1], prefix=prefix)

    yield on_redis
    for client in clients:
        keys = [key async for key in client.scan_iter(f"{prefix}:*")]
        if keys:
            await client.delete(*keys)
        await client.aclose()


async def test_attempts_within_the_limit_pass_and_the_next_is_told_when_to_come_back(storages: StorageMaker) -> None:
    limiter = LimitsRateLimiter(storages(), {"log in": "3/minute"})
    assert [await limiter.attempt("log in", "account:jake") for _ in range(3)] == [None, None, None]
    retry_after = await limiter.attempt("log in", "account:jake")
    assert retry_after is not None and 1 <= retry_after <= 60
    assert await limiter.attempt("log in", "account:jane") is None


async def test_every_limit_of_a_rule_holds(storages: StorageMaker) -> None:
    limiter = LimitsRateLimiter(storages(), {"mail": "5/minute;2/hour"})
    assert [await limiter.attempt("mail", "recipient:jake") for _ in range(2)] == [None, None]
    retry_after = await limiter.attempt("mail", "recipient:jake")
    assert retry_after is not None and 60 < retry_after <= 3600


async def test_rules_and_keys_are_counted_apart(storages: StorageMaker) -> None:
    limiter = LimitsRateLimiter(storages(), {"log in": "1/minute", "registration": "1/minute"})
    assert await limiter.attempt("log in", "address:203.0.113.7") is None
    assert await limiter.attempt("registration", "address:203.0.113.7") is None
    assert await limiter.attempt("log in", "address:203.0.113.8") is None
    # Keys that differ only where the library joins its parts with "/" stay apart.
    assert await limiter.attempt("log in", "account:a/b") is None
    assert await limiter.attempt("log in", "account:a") is None
    assert await limiter.attempt("log in", "address:203.0.113.7") is not None


async def test_limiters_on_one_storage_share_their_counts(storages: StorageMaker) -> None:
    """Two API processes on one Redis: an attacker gains nothing by spreading attempts over them."""
    first = LimitsRateLimiter(storages(), {"log in": "2/minute"})
    second = LimitsRateLimiter(storages(), {"log in": "2/minute"})
    assert await first.attempt("log in", "account:jake") is None
    assert await second.attempt("log in", "account:jake") is None
    assert await first.attempt("log in", "account:jake") is not None
    assert await second.attempt("log in", "account:jake") is not None


async def test_redis_that_does_not_answer_is_dependency_unavailable() -> None:
    client = Redis.from_url("redis://127.0.0.1:1/15", socket_connect_timeout=1)
    limiter = LimitsRateLimiter(redis_limits_storage(client), {"log in": "3/minute"})
    try:
        with pytest.raises(DependencyUnavailable):
            await limiter.attempt("log in", "account:jake")
    finally:
        await client.aclose()
