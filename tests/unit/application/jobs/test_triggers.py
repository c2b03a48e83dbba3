"""TRIGGERS: every domain event causes its job, with the payload its handler reads."""

import sys
from datetime import UTC, datetime

import pytest

from application.jobs.catalog import JOB_TYPES
from application.jobs.triggers import TRIGGERS, jobs_for
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
from domain.ids import new_article_id, new_job_id, new_user_id
from domain.jobs import JobStatus

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
USER = new_user_id()
ARTICLE = new_article_id()
EXPORT = new_job_id()

# Each event, the job type it causes, that job's payload and its owner.
EXPECTED: dict[type[DomainEvent], tuple[DomainEvent, str, dict[str, object], object]] = {
    UserRegistered: (UserRegistered(USER, "jake@example.com"), "send_verification_mail",
                     {"user_id": str(USER), "email": "jake@example.com"}, USER),
    EmailChanged: (EmailChanged(USER, "jacob@example.com"), "send_verification_mail",
                   {"user_id": str(USER), "email": "jacob@example.com"}, USER),
    VerificationRequested: (VerificationRequested(USER, "jake@example.com"), "send_verification_mail",
                            {"user_id": str(USER), "email": "jake@example.com"}, USER),
    PasswordChanged: (PasswordChanged(USER), "send_password_changed_mail", {"user_id": str(USER)}, USER),
    PasswordResetRequested: (PasswordResetRequested("nobody@example.com"), "send_password_reset_mail",
                             {"email": "nobody@example.com"}, None),
    ArticlePublished: (ArticlePublished(ARTICLE, USER), "fan_out_new_article",
                       {"article_id": str(ARTICLE), "author_id": str(USER), "after": None}, USER),
    ExportRequested: (ExportRequested(EXPORT, USER), "build_export", {"user_id": str(USER)}, USER),
}


def all_events(base: type[DomainEvent] = DomainEvent) -> set[type[DomainEvent]]:
    """The event classes as their modules export them: `@dataclass(slots=True)` builds a second class,
    and the first, discarded one may linger among the subclasses until it is garbage collected."""
    found: set[type[DomainEvent]] = set()
    for subclass in base.__subclasses__():
        if getattr(sys.modules[subclass.__module__], subclass.__name__, None) is subclass:
            found |= {subclass, *all_events(subclass)}
    return found


def test_every_domain_event_causes_a_job() -> None:
    assert all_events() <= set(TRIGGERS)


def test_every_domain_event_is_covered_here() -> None:
    assert all_events() == set(EXPECTED)


@pytest.mark.parametrize("event_type", list(EXPECTED), ids=lambda event_type: event_type.__name__)
def test_each_event_queues_its_job_with_its_payload(event_type: type[DomainEvent]) -> None:
    event, job_type, payload, owner = EXPECTED[event_type]
    [job] = jobs_for([event], now=NOW, request_id="req-7")
    assert job.type == job_type
    assert job.type in JOB_TYPES
    assert job.payload == payload
    assert job.owner_id == owner
    assert job.request_id == "req-7"
    assert job.status is JobStatus.QUEUED
    assert job.created_at == job.run_after == NOW


@pytest.mark.parametrize("event_type", list(EXPECTED), ids=lambda event_type: event_type.__name__)
def test_each_payload_reads_back_as_its_spec(event_type: type[DomainEvent]) -> None:
    event, job_type, _, _ = EXPECTED[event_type]
    [job] = jobs_for([event], now=NOW, request_id=None)
    spec = JOB_TYPES[job_type].spec.from_payload(job.payload)
    assert spec.payload() == job.payload


def test_an_export_job_takes_the_id_the_caller_was_given() -> None:
    [job] = jobs_for([ExportRequested(EXPORT, USER)], now=NOW, request_id=None)
    assert job.id == EXPORT


def test_other_jobs_get_fresh_ids() -> None:
    first, second = jobs_for([PasswordChanged(USER), PasswordChanged(USER)], now=NOW, request_id=None)
    assert first.id != second.id


def test_events_queue_their_jobs_in_order() -> None:
    events = [UserRegistered(USER, "jake@example.com"), PasswordChanged(USER), ArticlePublished(ARTICLE, USER)]
    jobs = jobs_for(events, now=NOW, request_id=None)
    assert [job.type for job in jobs] == ["send_verification_mail", "send_password_changed_mail",
                                          "fan_out_new_article"]
