"""List jobs by status, for administrators: dead ones are what needs looking after."""

from application.actor import Actor
from application.ports.queries import JobQueries
from application.views import JobPage
from domain.jobs import JobStatus
from domain.paging import Page


class ListJobs:
    """Raises Forbidden unless the caller is an administrator."""

    def __init__(self, *, jobs: JobQueries) -> None:
        self._jobs = jobs

    async def __call__(self, actor: Actor, *, status: JobStatus | None, page: Page) -> JobPage:
        actor.ensure_admin()
        return await self._jobs.jobs(status=status, page=page)
