"""Test-only doubles: spies and timing helpers wrapped around the in-memory adapters."""

import asyncio
from datetime import datetime

from adapters.memory.hasher import MemoryPasswordHasher
from application.errors import DependencyUnavailable
from application.ports.security import PasswordHasher
from application.ports.tokens import TokenStore
from domain.ids import SessionId, UserId
from domain.sessions import Rotation


class CountingPasswordHasher(PasswordHasher):
    """A real (fast) hasher that counts its work, to prove every login path verifies exactly once."""

    def __init__(self) -> None:
        self._inner = MemoryPasswordHasher()
        self.hashes = 0
        self.verifications = 0

    async def hash(self, plain: str) -> str:
        self.hashes += 1
        return await self._inner.hash(plain)

    async def verify(self, plain: str, hashed: str | None) -> bool:
        self.verifications += 1
        return await self._inner.verify(plain, hashed)


class YieldingPasswordHasher(PasswordHasher):
    """Gives the event loop away while hashing, as a thread-backed hasher does, so calls interleave."""

    def __init__(self) -> None:
        self._inner = MemoryPasswordHasher()

    async def hash(self, plain: str) -> str:
        await asyncio.sleep(0)
        return await self._inner.hash(plain)

    async def verify(self, plain: str, hashed: str | None) -> bool:
        await asyncio.sleep(0)
        return await self._inner.verify(plain, hashed)


class UnreachableTokenStore(TokenStore):
    """A token store whose server is down: every call fails as the Redis adapter's calls then do."""

    async def open_session(
        self, *, session_id: SessionId, user_id: UserId, refresh_token_id: str, ends_at: datetime
    ) -> None:
        raise DependencyUnavailable("redis")

    async def rotate(self, *, session_id: SessionId, presented_token_id: str, next_token_id: str) -> Rotation:
        raise DependencyUnavailable("redis")

    async def end_session(self, session_id: SessionId) -> None:
        raise DependencyUnavailable("redis")

    async def end_all_sessions(self, user_id: UserId, *, keep: SessionId | None = None) -> None:
        raise DependencyUnavailable("redis")

    async def revoke_token(self, token_id: str, *, until: datetime) -> None:
        raise DependencyUnavailable("redis")

    async def is_usable(self, *, session_id: SessionId, token_id: str) -> bool:
        raise DependencyUnavailable("redis")
