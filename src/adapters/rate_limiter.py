"""Rate limiting on the `limits` library: a moving window per rule and key, kept in Redis (shared by every
API process) or in process memory (the embedded default, one process)."""

import hashlib
import math
import time
from collections.abc import Mapping

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import Redis

from application.errors import DependencyUnavailable
from application.ports.rate_limits import RateLimiter


class LimitsRateLimiter(RateLimiter):
    """`rules` maps a rule's name to its limits in the library's notation: "10/minute", or several
    at once, "10/minute;100/hour". A moving window, so no burst fits at the edge of two windows."""

    def __init__(self, storage: Storage, rules: Mapping[str, str]) -> None:
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._rules: dict[str, list[RateLimitItem]] = {name: parse_many(spec) for name, spec in rules.items()}

    async def attempt(self, rule: str, key: str) -> int | None:
        # Keys hold e-mail addresses: stored hashed, they leave no address in Redis and cannot collide
        # with the library's own separators.
        identifier = hashlib.sha256(key.encode()).hexdigest()[:32]
        try:
            for item in self._rules[rule]:
                if not await self._limiter.hit(item, rule, identifier):
                    window = await self._limiter.get_window_stats(item, rule, identifier)
                    return max(1, math.ceil(window.reset_time - time.time()))
        except StorageError as error:
            raise DependencyUnavailable("redis") from error
        return None


def redis_limits_storage(client: Redis, *, prefix: str = "inkwell") -> Storage:
    """Counts in the Redis the tokens live in, on the same connection pool (and so its timeouts)."""
    return RedisStorage(
        "async+redis://", implementation="redispy", wrap_exceptions=True, key_prefix=f"{prefix}:limits",
        # Documented by the library, though its annotation of extra options names only scalars.
        connection_pool=client.connection_pool,  # type: ignore[arg-type]
    )


def memory_limits_storage() -> Storage:
    return MemoryStorage()


async def settle_memory_storage(storage: Storage) -> None:
    """Let the memory storage's expiry pass, a task it starts after each attempt, finish before its loop
    closes, rather than be destroyed pending."""
    if isinstance(storage, MemoryStorage) and storage.timer is not None:
        await storage.timer
