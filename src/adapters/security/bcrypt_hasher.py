"""bcrypt password hashing behind a peppered pre-hash, run in a worker thread."""

import asyncio
import base64
import hashlib
import hmac

import bcrypt

from application.ports.security import PasswordHasher


class BcryptPasswordHasher(PasswordHasher):
    """Passwords are first turned into base64(HMAC-SHA384(pepper, password)), 64 ASCII bytes, so any
    length is hashed whole (bcrypt alone stops at 72 bytes) and a stolen hash is useless without the
    pepper. bcrypt releases the GIL, so the thread keeps the event loop free."""

    def __init__(self, *, pepper: str, rounds: int = 12) -> None:
        if not 4 <= rounds <= 31:
            raise ValueError("bcrypt rounds must be between 4 and 31")
        self._pepper = pepper.encode()
        self._rounds = rounds
        # Verified against when the account does not exist, so that path costs the same.
        self._dummy = bcrypt.hashpw(b"inkwell-dummy-password", bcrypt.gensalt(rounds))

    async def hash(self, plain: str) -> str:
        return await asyncio.to_thread(self._hash, plain)

    async def verify(self, plain: str, hashed: str | None) -> bool:
        return await asyncio.to_thread(self._verify, plain, hashed)

    def _hash(self, plain: str) -> str:
        return bcrypt.hashpw(self._prehash(plain), bcrypt.gensalt(self._rounds)).decode()

    def _verify(self, plain: str, hashed: str | None) -> bool:
        target = hashed.encode() if hashed else self._dummy
        try:
            matches = bcrypt.checkpw(self._prehash(plain), target)
        except ValueError:  # a malformed stored hash never matches
            return False
        return matches and hashed is not None

    def _prehash(self, plain: str) -> bytes:
        return base64.b64encode(hmac.new(self._pepper, plain.encode(), hashlib.sha384).digest())
