"""Readiness: a probe per dependency the service cannot work without."""

from typing import Protocol


class DependencyProbe(Protocol):
    name: str

    async def check(self) -> None:
        """Return when the dependency answers; raise otherwise."""
        ...
