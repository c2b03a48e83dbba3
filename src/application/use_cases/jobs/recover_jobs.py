"""Find jobs whose delivery went missing and put them back in the outbox."""

import logging
import random
from collections.abc import Callable, Mapping
from datetime import timedelta

from application.jobs.catalog import JobType
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from domain.jobs import JobStatus

log = logging.getLogger("inkwell.jobs")

BATCH_SIZE = 500


class RecoverJobs:
    """A running job whose lease lapsed lost its worker: the attempt counts as failed and the job retries
    (or is dead). A waiting job published longer ago than `republish_after` lost its message (a broker
    restart): it is published again. Returns how many jobs were recovered."""

    def __init__(
        self, *, uow: UnitOfWork, clock: Clock, types: Mapping[str, JobType],
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._types = types
        self._jitter = jitter

    async def __call__(self, *, republish_after: timedelta) -> int:
        now = self._clock.now()
        async with self._uow as uow:
            lost = await uow.jobs.lost(now=now, published_before=now - republish_after, limit=BATCH_SIZE)
            for job in lost:
                if job.status is JobStatus.RUNNING:
                    job.lapse(now=now, policy=self._types[job.type].policy, jitter=self._jitter())
                else:
                    job.republish(now=now)
                await uow.jobs.save(job)
            await uow.commit()
        for job in lost:
            log.warning("job_recovered", extra={"job_id": str(job.id), "type": job.type, "status": job.status.value})
        return len(lost)
