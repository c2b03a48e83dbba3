"""Rate limiter port: counting attempts per rule and key over a window."""

from typing import Protocol


class RateLimiter(Protocol):
    async def attempt(self, rule: str, key: str) -> int | None:
        """Count one attempt by `key` under `rule`. None when it is within the rule's limits; otherwise
        the whole seconds (at least 1) until an attempt would be. Raises DependencyUnavailable when the
        counts cannot be kept."""
        ...
