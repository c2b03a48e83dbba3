"""Readiness: a probe per dependency the service cannot work without, and what a probe found wrong."""

from collections.abc import Iterable
from typing import Protocol


class DependencyProbe(Protocol):
    name: str

    async def check(self) -> None:
        """Return when the dependency answers and can serve. Raises NotReady saying why in words; any other
        error is the probe's own failure."""
        ...


class NotReady(Exception):
    """Why a dependency cannot serve, in words an operator can act on ('PostgreSQL: database "x" does not
    exist'). The words may name hosts and users: they are for the log and the command line, not for
    whoever asks the HTTP API. `state` is the one word readiness shows instead."""

    state = "unavailable"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SchemaBehind(NotReady):
    """The database answers, but its schema is older than the code: every request that touches it would
    fail. The revisions are no secret, so readiness names them."""

    state = "behind"

    def __init__(self, *, current: Iterable[str], expected: Iterable[str]) -> None:
        self.current = tuple(sorted(current))
        self.expected = tuple(sorted(expected))
        super().__init__(f"{self.summary}: run `inkwell migrate`")

    @property
    def summary(self) -> str:
        at = f"is at revision {', '.join(self.current)}" if self.current else "has no revision (an empty database)"
        return f"{at}, the code needs {', '.join(self.expected)}"
