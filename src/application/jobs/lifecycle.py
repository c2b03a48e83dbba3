"""A job's life as its deliveries see it: claimed by one, its lease kept, its outcome recorded.

Each step is a transaction of its own on a fresh unit of work, so the steps of jobs running side by
side never share one, and a step that fails leaves the job as the previous step left it.
"""

import logging
import random
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from application.errors import PermanentFailure
from application.jobs.catalog import JobType
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from domain.ids import JobId
from domain.jobs import Claim, JobStatus

log = logging.getLogger("inkwell.jobs")


class JobLifecycle:
    def __init__(
        self,
        *,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        types: Mapping[str, JobType],
        lease: timedelta,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._types = types
        self.lease = lease
        self._jitter = jitter

    async def begin(self, job_id: JobId) -> int | None:
        """Claim the job for this delivery and return the attempt number it runs as; None when this
        delivery must do nothing (no such job, finished already, running elsewhere, or given up)."""
        async with self._new_uow() as uow:
            job = await uow.jobs.get(job_id)
            if job is None:
                log.warning("job_unknown", extra={"job_id": str(job_id)})
                return None
            claim = job.claim(now=self._clock.now(), lease=self.lease, policy=self._types[job.type].policy)
            if claim in (Claim.DONE, Claim.BUSY):
                log.info("job_skipped", extra={"job_id": str(job_id), "type": job.type, "reason": claim.value})
                return None
            await uow.jobs.save(job)
            await uow.commit()
        if claim is Claim.GIVEN_UP:
            log.error("job_dead", extra={"job_id": str(job_id), "type": job.type, "error": job.last_error})
            return None
        log.info("job_started", extra={"job_id": str(job_id), "type": job.type, "attempt": job.attempts})
        return job.attempts

    async def renew(self, job_id: JobId, attempt: int) -> bool:
        """Extend the lease; False when this delivery no longer holds the job."""
        async with self._new_uow() as uow:
            job = await uow.jobs.get(job_id)
            if job is None or not job.holds(attempt):
                return False
            job.renew(now=self._clock.now(), lease=self.lease)
            await uow.jobs.save(job)
            await uow.commit()
        return True

    async def report(self, job_id: JobId, attempt: int, progress: int) -> None:
        async with self._new_uow() as uow:
            job = await uow.jobs.get(job_id)
            if job is None or not job.holds(attempt):
                return
            now = self._clock.now()
            job.report(progress, now=now)
            job.renew(now=now, lease=self.lease)
            await uow.jobs.save(job)
            await uow.commit()

    async def succeed(self, job_id: JobId, attempt: int, result: dict[str, Any] | None) -> None:
        async with self._new_uow() as uow:
            job = await uow.jobs.get(job_id)
            if job is None or not job.holds(attempt):
                log.warning("job_outcome_stale", extra={"job_id": str(job_id), "attempt": attempt})
                return
            job.succeed(result, now=self._clock.now())
            await uow.jobs.save(job)
            await uow.commit()
        log.info("job_succeeded", extra={"job_id": str(job_id), "type": job.type, "attempt": attempt})

    async def fail(self, job_id: JobId, attempt: int, error: BaseException) -> JobStatus | None:
        """Record the failure: the job retries after a backoff, or is failed or dead. Returns its new
        status, None when this delivery no longer held the job."""
        async with self._new_uow() as uow:
            job = await uow.jobs.get(job_id)
            if job is None or not job.holds(attempt):
                log.warning("job_outcome_stale", extra={"job_id": str(job_id), "attempt": attempt})
                return None
            job.fail(
                describe(error), now=self._clock.now(), policy=self._types[job.type].policy,
                jitter=self._jitter(), permanent=isinstance(error, PermanentFailure),
            )
            await uow.jobs.save(job)
            await uow.commit()
        level = logging.ERROR if job.status is not JobStatus.RETRYING else logging.WARNING
        log.log(level, f"job_{job.status.value}", extra={
            "job_id": str(job_id), "type": job.type, "attempt": attempt, "error": job.last_error,
            "retry_at": job.run_after.isoformat() if job.status is JobStatus.RETRYING else None,
        })
        return job.status


def describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError) and not str(error):
        return "TimeoutError: the job ran past its time limit"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
