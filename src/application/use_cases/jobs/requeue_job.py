"""Give a dead or failed job another go, after whatever killed it has been mended."""

import logging

from application.actor import Actor
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.queries import JobQueries
from application.views import JobView
from domain.errors import NotFound
from domain.ids import JobId

log = logging.getLogger("inkwell.jobs")


class RequeueJob:
    """Raises Forbidden unless the caller is an administrator, NotFound, or Conflict for a job that is
    not dead or failed."""

    def __init__(self, *, uow: UnitOfWork, jobs: JobQueries, clock: Clock) -> None:
        self._uow = uow
        self._jobs = jobs
        self._clock = clock

    async def __call__(self, actor: Actor, *, job_id: JobId) -> JobView:
        actor.ensure_admin()
        async with self._uow as uow:
            job = await uow.jobs.get(job_id)
            if job is None:
                raise NotFound("not found", field="job")
            job.requeue(now=self._clock.now())
            await uow.jobs.save(job)
            await uow.commit()
        log.info("job_requeued", extra={"job_id": str(job_id), "type": job.type, "by": str(actor.user_id)})
        view = await self._jobs.job(job_id)
        if view is None:
            raise NotFound("not found", field="job")
        return view
