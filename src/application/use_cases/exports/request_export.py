"""Ask for a copy of one's data: a job builds it."""

from application.actor import Actor
from application.ports.persistence import UnitOfWork
from application.ports.queries import JobQueries
from application.views import JobView
from domain.errors import NotFound
from domain.events import ExportRequested
from domain.ids import new_job_id


class RequestExport:
    """Queues the export job and returns it, as its owner sees it, to be followed until it succeeds."""

    def __init__(self, *, uow: UnitOfWork, jobs: JobQueries) -> None:
        self._uow = uow
        self._jobs = jobs

    async def __call__(self, actor: Actor) -> JobView:
        export_id = new_job_id()
        async with self._uow as uow:
            uow.record(ExportRequested(export_id, actor.user_id))
            await uow.commit()
        view = await self._jobs.job(export_id)
        if view is None:  # only an administrator's cleanup could get here first
            raise NotFound("not found", field="job")
        return view
