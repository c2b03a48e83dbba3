"""Clients of services that adapter families share, built so that no wait on the service is unbounded."""

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError

# After a Redis restart every pooled connection is stale, and each would fail the first command sent on
# it. A command that meets a closed connection is sent once more, on a new one, after a short pause. A
# timeout is not retried: a server that does not answer would only cost the request twice the wait.
RETRY = Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=1, supported_errors=(RedisConnectionError,))


def redis_client(url: str, *, connect_timeout: float, command_timeout: float) -> Redis:
    """Every command is answered, or fails with a redis `TimeoutError`, within `command_timeout`
    seconds; a new connection is made within `connect_timeout`."""
    return Redis.from_url(
        url, socket_connect_timeout=connect_timeout, socket_timeout=command_timeout, retry=RETRY
    )
