"""Security ports: password hashing."""

from typing import Protocol


class PasswordHasher(Protocol):
    """Slow, salted hashing. Both methods take the same time whatever the input, and never block the event loop."""

    async def hash(self, plain: str) -> str: ...

    async def verify(self, plain: str, hashed: str | None) -> bool:
        """With `hashed` None, spend the same effort on a dummy hash and return False."""
        ...
