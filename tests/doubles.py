"""Test-only doubles: spies and timing helpers wrapped around the in-memory adapters."""

import asyncio

from adapters.memory.hasher import MemoryPasswordHasher
from application.ports.security import PasswordHasher


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
