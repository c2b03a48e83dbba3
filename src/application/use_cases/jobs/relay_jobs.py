"""The outbox relay: hand committed jobs to the workers."""

from application.ports.clock import Clock
from application.ports.jobs import JobQueue, JobTicket
from application.ports.persistence import UnitOfWork

BATCH_SIZE = 100


class RelayJobs:
    """Publishes up to one batch of due, unpublished jobs and returns how many. A job is marked published
    only in the transaction that held it while it was published: if the broker refuses
    (DependencyUnavailable), nothing is marked and the jobs go out on a later call. A crash between
    publishing and committing publishes them twice, which their claim makes harmless."""

    def __init__(self, *, uow: UnitOfWork, queue: JobQueue, clock: Clock, batch_size: int = BATCH_SIZE) -> None:
        self._uow = uow
        self._queue = queue
        self._clock = clock
        self._batch_size = batch_size

    async def __call__(self) -> int:
        now = self._clock.now()
        async with self._uow as uow:
            due = await uow.jobs.unpublished(now=now, limit=self._batch_size)
            if not due:
                return 0
            await self._queue.publish([JobTicket(job.id, job.type) for job in due])
            await uow.jobs.mark_published([job.id for job in due], now=now)
            await uow.commit()
        return len(due)
