"""Domain events: facts recorded for whoever must react once the transaction that holds them commits.

Aggregates record most of them as their state changes; the few that change no aggregate (a password
reset asked for an address, an export asked for) are recorded by their use case on the unit of work.
The application's job table decides which job, if any, each event causes.
"""

from dataclasses import dataclass

from domain.ids import ArticleId, JobId, UserId


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that happened."""


@dataclass(frozen=True, slots=True)
class UserRegistered(DomainEvent):
    user_id: UserId
    email: str


@dataclass(frozen=True, slots=True)
class EmailChanged(DomainEvent):
    """The new address is unverified until its owner confirms it."""

    user_id: UserId
    email: str


@dataclass(frozen=True, slots=True)
class VerificationRequested(DomainEvent):
    """The owner of an unverified address asked for another confirmation mail."""

    user_id: UserId
    email: str


@dataclass(frozen=True, slots=True)
class PasswordChanged(DomainEvent):
    user_id: UserId


@dataclass(frozen=True, slots=True)
class PasswordResetRequested(DomainEvent):
    """Someone asked to reset the password of `email`, which may belong to nobody."""

    email: str


@dataclass(frozen=True, slots=True)
class ArticlePublished(DomainEvent):
    article_id: ArticleId
    author_id: UserId


@dataclass(frozen=True, slots=True)
class ExportRequested(DomainEvent):
    """A user asked for a copy of their data; `export_id` names the job that builds it."""

    export_id: JobId
    user_id: UserId
