"""Persistence ports: repositories of aggregates and the unit of work that commits them together."""

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from domain.articles import Article, Comment
from domain.audit import AuditEvent
from domain.events import DomainEvent
from domain.ids import ArticleId, CommentId, JobId, UserId
from domain.jobs import Job
from domain.profiles import Profile
from domain.users import Email, User, Username


class UserRepository(Protocol):
    """Accounts. `add` and `save` raise Conflict (field `email` or `username`) on a taken value,
    at the latest when the unit of work commits.

    `save` writes every field of the user, so a use case that saves a user it read reads them
    `for_change=True`: the user stays locked until the transaction ends, and a change committed by
    another transaction meanwhile (an administrator's deactivation, a revocation of every session) is
    waited for and read, never overwritten with the stale copy. Reads that only look (a log-in, the
    check that an address is free) take no lock, so that any number of them run side by side. A
    transaction hands out one object per user, the first one read: read a user for change before any
    other read of them. Read one user for change at most: two transactions locking two users each, in
    opposite orders, would deadlock (`lock_active_admins` locks several, in one order).
    """

    async def add(self, user: User) -> None: ...

    async def get(self, user_id: UserId, *, for_change: bool = False) -> User | None: ...

    async def by_email(self, email: Email) -> User | None: ...

    async def by_username(self, username: Username, *, for_change: bool = False) -> User | None:
        """Found whatever the letter case of `username`."""
        ...

    async def save(self, user: User) -> None: ...

    async def lock_active_admins(self, *, along_with: Username) -> set[UserId]:
        """The ids of the active administrators, held until the transaction ends so that of two
        transactions that each take an administrator away, the second waits for the first and sees its
        change. The user named `along_with`, the one to change, is locked in the same go, all in one
        order, so that two such transactions queue rather than deadlock; read them for change next."""
        ...


class ProfileRepository(Protocol):
    async def add(self, profile: Profile) -> None: ...

    async def get(self, user_id: UserId) -> Profile | None: ...

    async def save(self, profile: Profile) -> None: ...


class ArticleRepository(Protocol):
    """Articles with their tags. `add` and `save` raise Conflict (field `slug`) when the slug is taken,
    at the latest when the unit of work commits."""

    async def add(self, article: Article) -> None: ...

    async def by_slug(self, slug: str) -> Article | None: ...

    async def save(self, article: Article) -> None: ...

    async def remove(self, article: Article) -> None:
        """Also removes its comments, favorites and tag links."""
        ...


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> CommentId:
        """Store the comment and return the id it was given."""
        ...

    async def get(self, comment_id: CommentId) -> Comment | None: ...

    async def remove(self, comment: Comment) -> None: ...


class FollowRepository(Protocol):
    """Who follows whom. Adding an existing pair or removing a missing one changes nothing."""

    async def add(self, follower: UserId, followee: UserId) -> None: ...

    async def remove(self, follower: UserId, followee: UserId) -> None: ...


class FavoriteRepository(Protocol):
    """Which user favorites which article. Adding an existing pair or removing a missing one changes nothing."""

    async def add(self, user_id: UserId, article_id: ArticleId) -> None: ...

    async def remove(self, user_id: UserId, article_id: ArticleId) -> None: ...


class JobRepository(Protocol):
    """The job table: the outbox the relay publishes from and the record of every job's status."""

    async def add(self, job: Job) -> bool:
        """Store the job; store nothing and return False when a job with the same key exists."""
        ...

    async def get(self, job_id: JobId) -> Job | None:
        """The job, locked until the transaction ends, so that deliveries of one job claim it one at a time."""
        ...

    async def save(self, job: Job) -> None: ...

    async def unpublished(self, *, now: datetime, limit: int) -> list[Job]:
        """Jobs due by `now` that the relay has yet to publish, oldest first; locked, skipping any that
        another relay holds, so that relays running side by side share the work."""
        ...

    async def mark_published(self, job_ids: Sequence[JobId], *, now: datetime) -> None: ...

    async def lost(self, *, now: datetime, published_before: datetime, limit: int) -> list[Job]:
        """Jobs whose delivery went missing: running with a lapsed lease (the worker died), or waiting
        for a worker although published before `published_before` (the broker lost the message). Locked."""
        ...


class AuditLog(Protocol):
    """The audit log: append-only, written in the transaction of the change it records."""

    async def add(self, event: AuditEvent) -> None:
        """Record `event` as part of this transaction, dated by the unit of work's clock and marked with
        the client and request being served (see `application.audit.entry_for`)."""
        ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the `async with` block without `commit()` rolls back.

    `commit()` first turns the events of the aggregates added or saved, and those passed to `record`,
    into jobs (see `application.jobs.triggers`) and writes them in the same transaction: a job exists
    exactly when the change that caused it does.
    """

    users: UserRepository
    profiles: ProfileRepository
    articles: ArticleRepository
    comments: CommentRepository
    follows: FollowRepository
    favorites: FavoriteRepository
    jobs: JobRepository
    audit: AuditLog

    def record(self, event: DomainEvent) -> None:
        """An event no aggregate carries (a reset asked for an address, say), committed like theirs."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...
