"""A fast salted hasher for unit tests and the `test` profile; never for real passwords."""

import hashlib
import hmac
import secrets

from application.ports.security import PasswordHasher


class MemoryPasswordHasher(PasswordHasher):
    async def hash(self, plain: str) -> str:
        salt = secrets.token_hex(8)
        return f"{salt}${hashlib.sha256((salt + plain).encode()).hexdigest()}"

    async def verify(self, plain: str, hashed: str | None) -> bool:
        salt, _, digest = (hashed or "0$").partition("$")
        candidate = hashlib.sha256((salt + plain).encode()).hexdigest()
        return hmac.compare_digest(candidate, digest) and hashed is not None
