"""Read side of jobs: one job, a page of them by status, or how many there are in each status."""

from sqlalchemy import ColumnElement, RowMapping, func, select

from adapters.sql.reader import SqlReader
from adapters.sql.tables import jobs
from application.ports.queries import JobQueries
from application.views import JobPage, JobStats, JobView
from domain.ids import JobId, UserId
from domain.jobs import JobStatus
from domain.paging import Page

_columns = (jobs.c.id, jobs.c.type, jobs.c.status, jobs.c.progress, jobs.c.attempts, jobs.c.owner_id,
            jobs.c.created_at, jobs.c.updated_at, jobs.c.last_error, jobs.c.result)
# Jobs per status and, per status, the earliest time a job in it was queued: one pass over the table.
_STATS = select(
    jobs.c.status, func.count().label("jobs"), func.min(jobs.c.queued_at).label("earliest")
).group_by(jobs.c.status)


def _view(row: RowMapping) -> JobView:
    owner = row["owner_id"]
    return JobView(
        id=JobId(row["id"]), type=row["type"], status=JobStatus(row["status"]), progress=row["progress"],
        attempts=row["attempts"], owner_id=None if owner is None else UserId(owner), created_at=row["created_at"],
        updated_at=row["updated_at"], error=row["last_error"],
        result=None if row["result"] is None else dict(row["result"]),
    )


class SqlJobQueries(JobQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def job(self, job_id: JobId) -> JobView | None:
        row = (await self._reader.run(select(*_columns).where(jobs.c.id == job_id))).mappings().one_or_none()
        return None if row is None else _view(row)

    async def jobs(self, *, status: JobStatus | None, page: Page) -> JobPage:
        conditions: list[ColumnElement[bool]] = [] if status is None else [jobs.c.status == status.value]
        statement = (
            select(*_columns).where(*conditions).order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .limit(page.limit).offset(page.offset)
        )
        rows = (await self._reader.run(statement)).mappings().all()
        total = (await self._reader.run(select(func.count()).select_from(jobs).where(*conditions))).scalar_one()
        return JobPage(jobs=[_view(row) for row in rows], total=total)

    async def stats(self) -> JobStats:
        counted = {status: 0 for status in JobStatus}
        oldest_queued_at = None
        for row in (await self._reader.run(_STATS)).mappings():
            status = JobStatus(row["status"])
            counted[status] = row["jobs"]
            if status is JobStatus.QUEUED:
                oldest_queued_at = row["earliest"]
        return JobStats(by_status=counted, oldest_queued_at=oldest_queued_at)
