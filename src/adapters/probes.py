"""Readiness of Redis: it answers PING on the database the URL names."""

import socket

from redis.asyncio import Redis
from redis.exceptions import AuthenticationError, RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeout

from application.ports.health import DependencyProbe, NotReady


class RedisProbe(DependencyProbe):
    name = "redis"

    def __init__(self, client: Redis) -> None:
        self._client = client

    async def check(self) -> None:
        try:
            await self._client.ping()
        except RedisError as error:
            raise NotReady(_in_words(error, self._client)) from error


def _in_words(error: RedisError, client: Redis) -> str:
    """What kept Redis from answering, said as an operator would say it."""
    where = client.connection_pool.connection_kwargs
    address = f"{where.get('host', 'localhost')}:{where.get('port', 6379)}"
    underlying = error.__cause__ or error.__context__
    if isinstance(error, AuthenticationError):
        return f"Redis: authentication refused at {address} ({error})"
    if isinstance(underlying, ConnectionRefusedError):
        return f"Redis: nothing listens on {address} (connection refused)"
    if isinstance(underlying, socket.gaierror):
        return f"Redis: no host is named {where.get('host')}"
    if isinstance(error, RedisTimeout):
        return f"Redis: {address} does not answer (timeout)"
    if isinstance(error, ResponseError) and "DB index" in str(error):
        return f"Redis: database {where.get('db')} does not exist at {address} ({error})"
    return f"Redis: {error} ({address})"
