"""In-memory job queue: published tickets wait until a test runs them, one by one, on demand."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from application.ports.jobs import JobDoorbell, JobQueue, JobTicket
from domain.ids import JobId


class MemoryJobQueue(JobQueue):
    def __init__(self) -> None:
        self.waiting: list[JobTicket] = []
        self.published = 0

    async def publish(self, tickets: Sequence[JobTicket]) -> None:
        self.waiting.extend(tickets)
        self.published += len(tickets)

    async def run_waiting(self, run: Callable[[JobId], Awaitable[None]]) -> int:
        """Run every ticket waiting now, in publication order; return how many ran."""
        tickets, self.waiting = self.waiting, []
        for ticket in tickets:
            await run(ticket.job_id)
        return len(tickets)


class SleepingDoorbell(JobDoorbell):
    """Never rings: waiting is sleeping, which makes the relay a plain poller."""

    async def wait(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    async def close(self) -> None:
        return None
