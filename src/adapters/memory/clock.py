"""A clock that stands still until told to move: for tests that reason about time."""

from datetime import UTC, datetime, timedelta

from application.ports.clock import Clock


class FixedClock(Clock):
    def __init__(self, at: datetime | None = None) -> None:
        self._now = at or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta) -> None:
        self._now += by
