"""The job repository on one AsyncSession: the outbox rows, written with the change that caused them."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, and_, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.tables import jobs
from adapters.sql.writes import insert_or_ignore, upsert
from application.ports.persistence import JobRepository
from domain.ids import JobId, UserId
from domain.jobs import PENDING, Job, JobStatus

# A NOTIFY sent in a transaction is delivered when it commits, and not at all if it rolls back:
# exactly when the relay has something to publish.
CHANNEL = "inkwell_jobs"
_PENDING = [status.value for status in PENDING]


class SqlJobRepository(JobRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._rang = False

    async def add(self, job: Job) -> bool:
        statement = insert_or_ignore(self._session, jobs, [job_row(job)]).returning(jobs.c.id)  # type: ignore[attr-defined]
        stored = (await self._session.execute(statement)).first() is not None
        if stored:
            await self._ring()
        return stored

    async def get(self, job_id: JobId) -> Job | None:
        statement = select(jobs).where(jobs.c.id == job_id).with_for_update()
        row = (await self._session.execute(statement)).mappings().one_or_none()
        return None if row is None else job_from_row(row)

    async def save(self, job: Job) -> None:
        await upsert(self._session, jobs, "id", job_row(job))
        if job.published_at is None:
            await self._ring()

    async def unpublished(self, *, now: datetime, limit: int) -> list[Job]:
        statement = (
            select(jobs)
            .where(jobs.c.published_at.is_(None), jobs.c.status.in_(_PENDING), jobs.c.run_after <= now)
            .order_by(jobs.c.run_after, jobs.c.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [job_from_row(row) for row in (await self._session.execute(statement)).mappings()]

    async def mark_published(self, job_ids: Sequence[JobId], *, now: datetime) -> None:
        await self._session.execute(update(jobs).where(jobs.c.id.in_(list(job_ids))).values(published_at=now))

    async def lost(self, *, now: datetime, published_before: datetime, limit: int) -> list[Job]:
        lapsed = and_(jobs.c.status == JobStatus.RUNNING.value, jobs.c.lease_until <= now)
        unheard = and_(jobs.c.status.in_(_PENDING), jobs.c.published_at < published_before)
        statement = (
            select(jobs).where(or_(lapsed, unheard)).order_by(jobs.c.updated_at).limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [job_from_row(row) for row in (await self._session.execute(statement)).mappings()]

    async def _ring(self) -> None:
        if not self._rang and self._session.get_bind().dialect.name == "postgresql":
            await self._session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
            self._rang = True


def job_row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id, "type": job.type, "payload": job.payload, "owner_id": job.owner_id,
        "status": job.status.value, "attempts": job.attempts, "progress": job.progress,
        "last_error": job.last_error, "result": job.result, "request_id": job.request_id, "key": job.key,
        "created_at": job.created_at, "updated_at": job.updated_at, "queued_at": job.queued_at,
        "run_after": job.run_after, "published_at": job.published_at, "lease_until": job.lease_until,
    }


def job_from_row(row: RowMapping) -> Job:
    owner = row["owner_id"]
    return Job(
        id=JobId(row["id"]), type=row["type"], payload=dict(row["payload"]),
        owner_id=None if owner is None else UserId(owner), status=JobStatus(row["status"]),
        attempts=row["attempts"], progress=row["progress"], last_error=row["last_error"],
        result=None if row["result"] is None else dict(row["result"]), request_id=row["request_id"],
        key=row["key"], created_at=row["created_at"], updated_at=row["updated_at"], queued_at=row["queued_at"],
        run_after=row["run_after"], published_at=row["published_at"], lease_until=row["lease_until"],
    )
