"""A job's status, progress and result."""

from application.actor import Actor
from application.ports.queries import JobQueries
from application.use_cases.jobs.shared import visible_job
from application.views import JobView
from domain.ids import JobId


class GetJob:
    """For its owner or an administrator. Raises NotFound (field `job`) for anyone else."""

    def __init__(self, *, jobs: JobQueries) -> None:
        self._jobs = jobs

    async def __call__(self, actor: Actor, *, job_id: JobId) -> JobView:
        return await visible_job(self._jobs, actor, job_id)
