"""The kinds of job Inkwell runs: each one's payload, owner, queue and how hard it is tried.

A payload is what the job row stores and a handler receives: ids and addresses, never whole objects,
so that a job reads the state of the world when it runs, not when it was asked for.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, ClassVar, Protocol, Self

from domain.ids import ArticleId, UserId
from domain.jobs import RetryPolicy


class JobSpec(Protocol):
    TYPE: ClassVar[str]

    @property
    def owner(self) -> UserId | None:
        """Who may see the job besides administrators."""
        ...

    def payload(self) -> dict[str, Any]: ...

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self: ...


def _user(value: Any) -> UserId:
    return UserId(uuid.UUID(str(value)))


@dataclass(frozen=True, slots=True)
class SendVerificationMail:
    TYPE: ClassVar[str] = "send_verification_mail"
    user_id: UserId
    email: str  # the address to confirm: if the user has moved on to another, this mail is moot

    @property
    def owner(self) -> UserId | None:
        return self.user_id

    def payload(self) -> dict[str, Any]:
        return {"user_id": str(self.user_id), "email": self.email}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(user_id=_user(payload["user_id"]), email=str(payload["email"]))


@dataclass(frozen=True, slots=True)
class SendPasswordResetMail:
    TYPE: ClassVar[str] = "send_password_reset_mail"
    email: str  # as asked for: it may belong to nobody, which only the job finds out

    @property
    def owner(self) -> UserId | None:
        return None

    def payload(self) -> dict[str, Any]:
        return {"email": self.email}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(email=str(payload["email"]))


@dataclass(frozen=True, slots=True)
class _AboutOneUser:
    """A job whose payload is the user it is for, and who owns it."""

    user_id: UserId

    @property
    def owner(self) -> UserId | None:
        return self.user_id

    def payload(self) -> dict[str, Any]:
        return {"user_id": str(self.user_id)}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(user_id=_user(payload["user_id"]))


@dataclass(frozen=True, slots=True)
class SendPasswordChangedMail(_AboutOneUser):
    TYPE: ClassVar[str] = "send_password_changed_mail"


@dataclass(frozen=True, slots=True)
class FanOutNewArticle:
    """Splits an article's followers into batches, one page at a time: each run queues one batch and,
    when there may be more followers, the run for the next page."""

    TYPE: ClassVar[str] = "fan_out_new_article"
    article_id: ArticleId
    author_id: UserId
    after: UserId | None = None  # the last follower of the previous page

    @property
    def owner(self) -> UserId | None:
        return self.author_id

    def payload(self) -> dict[str, Any]:
        after = None if self.after is None else str(self.after)
        return {"article_id": str(self.article_id), "author_id": str(self.author_id), "after": after}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        after = payload.get("after")
        return cls(
            article_id=ArticleId(uuid.UUID(str(payload["article_id"]))),
            author_id=_user(payload["author_id"]),
            after=None if after is None else _user(after),
        )


@dataclass(frozen=True, slots=True)
class NotifyFollowers:
    """Mails one batch of followers about a new article."""

    TYPE: ClassVar[str] = "notify_followers"
    article_id: ArticleId
    author_id: UserId
    recipients: tuple[UserId, ...]

    @property
    def owner(self) -> UserId | None:
        return self.author_id

    def payload(self) -> dict[str, Any]:
        return {
            "article_id": str(self.article_id),
            "author_id": str(self.author_id),
            "recipients": [str(user_id) for user_id in self.recipients],
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            article_id=ArticleId(uuid.UUID(str(payload["article_id"]))),
            author_id=_user(payload["author_id"]),
            recipients=tuple(_user(user_id) for user_id in payload["recipients"]),
        )


@dataclass(frozen=True, slots=True)
class BuildExport(_AboutOneUser):
    TYPE: ClassVar[str] = "build_export"


@dataclass(frozen=True, slots=True)
class JobType:
    name: str
    spec: type[JobSpec]
    policy: RetryPolicy
    queue: str  # exports run on their own queue, so that a long one never holds up mail


_MAIL = RetryPolicy(max_attempts=8, min_backoff=timedelta(seconds=5), max_backoff=timedelta(minutes=15),
                    time_limit=timedelta(seconds=30), max_age=timedelta(days=1))

JOB_TYPES: dict[str, JobType] = {
    job_type.name: job_type
    for job_type in (
        JobType(SendVerificationMail.TYPE, SendVerificationMail, _MAIL, "mail"),
        # A reset asked for an hour ago and not yet mailed is better asked for again.
        JobType(SendPasswordResetMail.TYPE, SendPasswordResetMail, replace(_MAIL, max_age=timedelta(hours=1)), "mail"),
        JobType(SendPasswordChangedMail.TYPE, SendPasswordChangedMail, _MAIL, "mail"),
        JobType(FanOutNewArticle.TYPE, FanOutNewArticle, replace(_MAIL, time_limit=timedelta(minutes=1)), "mail"),
        JobType(NotifyFollowers.TYPE, NotifyFollowers, replace(_MAIL, time_limit=timedelta(minutes=2)), "mail"),
        JobType(BuildExport.TYPE, BuildExport,
                RetryPolicy(max_attempts=3, min_backoff=timedelta(seconds=30), max_backoff=timedelta(minutes=10),
                            time_limit=timedelta(minutes=10), max_age=timedelta(days=1)),
                "exports"),
    )
}


def tuned(
    types: Mapping[str, JobType],
    *,
    max_attempts: int | None = None,
    min_backoff: timedelta | None = None,
    max_backoff: timedelta | None = None,
) -> dict[str, JobType]:
    """The job types with some retry settings replaced for all of them (configuration, tests)."""
    tuned_types: dict[str, JobType] = {}
    for name, job_type in types.items():
        policy = job_type.policy
        policy = replace(
            policy,
            max_attempts=max_attempts or policy.max_attempts,
            min_backoff=min_backoff or policy.min_backoff,
            max_backoff=max(max_backoff or policy.max_backoff, min_backoff or policy.min_backoff),
        )
        tuned_types[name] = replace(job_type, policy=policy)
    return tuned_types


def job_key(kind: str, *parts: object) -> str:
    """An idempotency key: `job_key("notify", article_id, first_recipient)`."""
    return ":".join([kind, *(str(part) for part in parts)])
