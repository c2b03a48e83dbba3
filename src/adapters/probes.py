"""Readiness probes for the database and Redis."""

import sqlalchemy as sa
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from application.ports.health import DependencyProbe


class DatabaseProbe(DependencyProbe):
    name = "database"

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def check(self) -> None:
        async with self._engine.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))


class RedisProbe(DependencyProbe):
    name = "redis"

    def __init__(self, client: Redis) -> None:
        self._client = client

    async def check(self) -> None:
        await self._client.ping()
