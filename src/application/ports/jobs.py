"""Job ports: handing committed jobs to the workers, and hearing that there are new ones."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from domain.ids import JobId


@dataclass(frozen=True, slots=True)
class JobTicket:
    """What a message to the workers carries: the job's id and type, never its payload, which stays in
    the job table, so that a message that arrives twice or late still finds the job's true state."""

    job_id: JobId
    type: str


class JobQueue(Protocol):
    async def publish(self, tickets: Sequence[JobTicket]) -> None:
        """Hand the jobs to the workers. Raises DependencyUnavailable when the broker cannot take them."""
        ...


class JobDoorbell(Protocol):
    """Lets the relay sleep until jobs are committed instead of polling the table in a tight loop."""

    async def wait(self, seconds: float) -> None:
        """Return soon after a transaction that queued jobs commits, or after `seconds` at most."""
        ...

    async def close(self) -> None: ...
