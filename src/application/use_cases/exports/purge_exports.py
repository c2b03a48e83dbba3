"""Delete exports past their expiry."""

from datetime import timedelta

from application.ports.clock import Clock
from application.ports.exports import ExportStore


class PurgeExports:
    """Returns how many exports were deleted."""

    def __init__(self, *, store: ExportStore, clock: Clock, ttl: timedelta) -> None:
        self._store = store
        self._clock = clock
        self._ttl = ttl

    async def __call__(self) -> int:
        return await self._store.purge(written_before=self._clock.now() - self._ttl)
