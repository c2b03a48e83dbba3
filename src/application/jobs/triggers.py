"""Which job each event causes: the one table that connects what happened to what must follow."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from application.jobs.catalog import (
    BuildExport,
    FanOutNewArticle,
    JobSpec,
    SendPasswordChangedMail,
    SendPasswordResetMail,
    SendVerificationMail,
)
from domain.events import (
    ArticlePublished,
    DomainEvent,
    EmailChanged,
    ExportRequested,
    PasswordChanged,
    PasswordResetRequested,
    UserRegistered,
    VerificationRequested,
)
from domain.ids import JobId
from domain.jobs import Job


@dataclass(frozen=True, slots=True)
class Planned:
    spec: JobSpec
    job_id: JobId | None = None  # when the caller must know the job's id (an export's, for its URL)


def _planned(make: Callable[[Any], JobSpec]) -> Callable[[Any], list[Planned]]:
    return lambda event: [Planned(make(event))]


TRIGGERS: dict[type[DomainEvent], Callable[[Any], list[Planned]]] = {
    UserRegistered: _planned(lambda e: SendVerificationMail(e.user_id, e.email)),
    EmailChanged: _planned(lambda e: SendVerificationMail(e.user_id, e.email)),
    VerificationRequested: _planned(lambda e: SendVerificationMail(e.user_id, e.email)),
    PasswordChanged: _planned(lambda e: SendPasswordChangedMail(e.user_id)),
    PasswordResetRequested: _planned(lambda e: SendPasswordResetMail(e.email)),
    ArticlePublished: _planned(lambda e: FanOutNewArticle(e.article_id, e.author_id)),
    ExportRequested: lambda e: [Planned(BuildExport(e.user_id), job_id=e.export_id)],
}


def jobs_for(events: Iterable[DomainEvent], *, now: datetime, request_id: str | None) -> list[Job]:
    """The jobs that `events` cause, ready to be written with them. An event with no entry is a bug."""
    return [
        queued(planned.spec, now=now, request_id=request_id, job_id=planned.job_id)
        for event in events
        for planned in TRIGGERS[type(event)](event)
    ]


def queued(
    spec: JobSpec, *, now: datetime, request_id: str | None, key: str | None = None, job_id: JobId | None = None
) -> Job:
    return Job.queue(
        type=spec.TYPE, payload=spec.payload(), owner_id=spec.owner, now=now, request_id=request_id, key=key,
        job_id=job_id,
    )
