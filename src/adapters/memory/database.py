"""In-memory persistence: a committed state shared by units of work that replay their writes on commit."""

import asyncio
import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Self

from adapters.memory.state import CommentSequence, MemoryState
from application.audit import entry_for, log_committed
from application.jobs.triggers import jobs_for
from application.ports.clock import Clock
from application.ports.persistence import (
    ArticleRepository,
    AuditLog,
    CommentRepository,
    FavoriteRepository,
    FollowRepository,
    JobRepository,
    ProfileRepository,
    UnitOfWork,
    UserRepository,
)
from application.tracing import current_request_id
from domain.articles import Article, Comment
from domain.audit import AuditEntry, AuditEvent
from domain.events import DomainEvent
from domain.ids import ArticleId, CommentId, JobId, UserId
from domain.jobs import PENDING, Job, JobStatus
from domain.profiles import Profile
from domain.users import Email, User, Username

Write = Callable[[MemoryState], None]


@dataclass
class MemoryDatabase:
    """The committed state. Units of work read a copy of it and write back on commit only."""

    state: MemoryState = field(default_factory=MemoryState)
    comment_ids: CommentSequence = field(default_factory=CommentSequence)
    commit_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def users(self) -> dict[UserId, User]:
        return self.state.users

    @property
    def profiles(self) -> dict[UserId, Profile]:
        return self.state.profiles

    @property
    def jobs(self) -> dict[JobId, Job]:
        return self.state.jobs


class _Transaction:
    """The writes of one unit of work, kept as a log and replayed onto the committed state on commit,
    and the events of the aggregates it stored, which become jobs on commit."""

    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db
        self.writes: list[Write] = []
        self.events: list[DomainEvent] = []
        self.users: dict[UserId, User] = {}  # one object per user and transaction, as a session's identity map
        self._view: MemoryState | None = None

    def view(self) -> MemoryState:
        """The committed state as this transaction sees it: with its own writes applied."""
        if self._view is None:
            self._view = self.db.state.copy()
            for write in self.writes:
                write(self._view)
        return self._view

    def record(self, write: Write) -> None:
        self.writes.append(write)
        if self._view is not None:
            write(self._view)

    def handed_out(self, user: User | None) -> User | None:
        if user is None:
            return None
        return self.users.setdefault(user.id, copy.deepcopy(user))


class MemoryUserRepository(UserRepository):
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    async def add(self, user: User) -> None:
        await self.save(user)

    # `for_change` locks nothing, for the reasons `lock_active_admins` gives.
    async def get(self, user_id: UserId, *, for_change: bool = False) -> User | None:
        return self._tx.handed_out(self._tx.view().users.get(user_id))

    async def by_email(self, email: Email) -> User | None:
        return self._tx.handed_out(next((u for u in self._tx.view().users.values() if u.email == email), None))

    async def by_username(self, username: Username, *, for_change: bool = False) -> User | None:
        users = self._tx.view().users.values()
        return self._tx.handed_out(next((u for u in users if u.username.key == username.key), None))

    async def save(self, user: User) -> None:
        self._tx.users[user.id] = user
        self._tx.events.extend(user.pull_events())
        snapshot = copy.deepcopy(user)
        self._tx.record(lambda state: state.put_user(snapshot))

    async def lock_active_admins(self, *, along_with: Username) -> set[UserId]:
        """Locks nothing: one event loop runs a transaction's reads and writes without interleaving, and
        the unit tests that use this adapter change one user at a time."""
        return {user.id for user in self._tx.view().users.values() if user.is_active_admin}


class MemoryProfileRepository(ProfileRepository):
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    async def add(self, profile: Profile) -> None:
        await self.save(profile)

    async def get(self, user_id: UserId) -> Profile | None:
        return copy.deepcopy(self._tx.view().profiles.get(user_id))

    async def save(self, profile: Profile) -> None:
        snapshot = copy.deepcopy(profile)
        self._tx.record(lambda state: state.put_profile(snapshot))


class MemoryArticleRepository(ArticleRepository):
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    async def add(self, article: Article) -> None:
        await self.save(article)

    async def by_slug(self, slug: str) -> Article | None:
        found = next((a for a in self._tx.view().articles.values() if a.slug == slug), None)
        return copy.deepcopy(found)

    async def save(self, article: Article) -> None:
        self._tx.events.extend(article.pull_events())
        snapshot = copy.deepcopy(article)
        self._tx.record(lambda state: state.put_article(snapshot))

    async def remove(self, article: Article) -> None:
        article_id = article.id
        self._tx.record(lambda state: state.delete_article(article_id))


class MemoryCommentRepository(CommentRepository):
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    async def add(self, comment: Comment) -> CommentId:
        comment.id = self._tx.db.comment_ids.next()
        snapshot = copy.deepcopy(comment)
        self._tx.record(lambda state: state.put_comment(snapshot))
        return comment.id

    async def get(self, comment_id: CommentId) -> Comment | None:
        return copy.deepcopy(self._tx.view().comments.get(comment_id))

    async def remove(self, comment: Comment) -> None:
        if comment.id is not None:
            comment_id = comment.id
            self._tx.record(lambda state: state.delete_comment(comment_id))


class MemoryFollowRepository(FollowRepository):
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    async def add(self, follower: UserId, followee: UserId) -> None:
        self._tx.record(lambda state: state.add_follow(follower, followee))

    async def remove(self, follower: UserId, followee: UserId) -> None:
        self._tx.record(lambda state: state.remove_follow(follower, followee))


class MemoryFavoriteRepository(FavoriteRepository):
    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    async def add(self, user_id: UserId, article_id: ArticleId) -> None:
        self._tx.record(lambda state: state.add_favorite(user_id, article_id))

    async def remove(self, user_id: UserId, article_id: ArticleId) -> None:
        self._tx.record(lambda state: state.remove_favorite(user_id, article_id))


class MemoryJobRepository(JobRepository):
    """Reads take no locks: the event loop runs one transaction's reads and writes without interleaving."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    async def add(self, job: Job) -> bool:
        if self._tx.view().has_job_key(job.key, other_than=job.id):
            return False
        await self.save(job)
        return True

    async def get(self, job_id: JobId) -> Job | None:
        return copy.deepcopy(self._tx.view().jobs.get(job_id))

    async def save(self, job: Job) -> None:
        snapshot = copy.deepcopy(job)
        self._tx.record(lambda state: state.put_job(snapshot))

    async def unpublished(self, *, now: datetime, limit: int) -> list[Job]:
        due = [job for job in self._tx.view().jobs.values()
               if job.published_at is None and job.status in PENDING and job.run_after <= now]
        return copy.deepcopy(sorted(due, key=lambda job: (job.run_after, job.created_at))[:limit])

    async def mark_published(self, job_ids: Sequence[JobId], *, now: datetime) -> None:
        ids = list(job_ids)

        def mark(state: MemoryState) -> None:
            for job_id in ids:
                if job_id in state.jobs:
                    state.jobs[job_id].published_at = now

        self._tx.record(mark)

    async def lost(self, *, now: datetime, published_before: datetime, limit: int) -> list[Job]:
        def is_lost(job: Job) -> bool:
            if job.status is JobStatus.RUNNING:
                return job.lease_until is not None and job.lease_until <= now
            return job.status in PENDING and job.published_at is not None and job.published_at < published_before

        found = [job for job in self._tx.view().jobs.values() if is_lost(job)]
        return copy.deepcopy(sorted(found, key=lambda job: job.updated_at)[:limit])


class MemoryAuditLog(AuditLog):
    def __init__(self, tx: _Transaction, clock: Clock) -> None:
        self._tx = tx
        self._clock = clock
        self._written: list[AuditEntry] = []

    async def add(self, event: AuditEvent) -> None:
        entry = entry_for(event, now=self._clock.now())
        self._tx.record(lambda state: state.audit.append(entry))
        self._written.append(entry)

    def take_written(self) -> list[AuditEntry]:
        """The entries written since the last call: the unit of work logs them once they are committed."""
        written, self._written = self._written, []
        return written


class MemoryUnitOfWork(UnitOfWork):
    """Stages writes; a use case that forgets `save` or `commit` loses its change, as on a real database.
    Constraints (unique email, username and slug) are checked when the writes are replayed at commit."""

    def __init__(self, db: MemoryDatabase, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._begin()

    def _begin(self) -> None:
        self._tx = _Transaction(self._db)
        self.users = MemoryUserRepository(self._tx)
        self.profiles = MemoryProfileRepository(self._tx)
        self.articles = MemoryArticleRepository(self._tx)
        self.comments = MemoryCommentRepository(self._tx)
        self.follows = MemoryFollowRepository(self._tx)
        self.favorites = MemoryFavoriteRepository(self._tx)
        self.jobs = MemoryJobRepository(self._tx)
        self.audit = MemoryAuditLog(self._tx, self._clock)

    async def __aenter__(self) -> Self:
        self._begin()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._begin()

    def record(self, event: DomainEvent) -> None:
        self._tx.events.append(event)

    async def commit(self) -> None:
        events, self._tx.events = self._tx.events, []
        for job in jobs_for(events, now=self._clock.now(), request_id=current_request_id.get()):
            await self.jobs.add(job)
        audited = self.audit.take_written()
        async with self._db.commit_lock:
            candidate = self._db.state.copy()
            for write in self._tx.writes:
                write(candidate)
            self._db.state = candidate
        self._tx.writes.clear()
        log_committed(audited)
