"""The SQL unit of work: one `async with` is one database transaction."""

from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.articles import SqlArticleRepository, SqlCommentRepository
from adapters.sql.audit import SqlAuditLog
from adapters.sql.conflicts import conflict_from
from adapters.sql.jobs import SqlJobRepository
from adapters.sql.relations import SqlFavoriteRepository, SqlFollowRepository
from adapters.sql.repositories import SqlProfileRepository, SqlUserRepository
from application.audit import log_committed
from application.jobs.triggers import jobs_for
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.tracing import current_request_id
from domain.events import DomainEvent


class SqlUnitOfWork(UnitOfWork):
    """Each `async with` opens a new session; leaving it without `commit()` rolls back.
    A taken email, username or slug raises Conflict from the write or, at the latest, from `commit()`."""

    users: SqlUserRepository
    profiles: SqlProfileRepository
    articles: SqlArticleRepository
    comments: SqlCommentRepository
    follows: SqlFollowRepository
    favorites: SqlFavoriteRepository
    jobs: SqlJobRepository
    audit: SqlAuditLog

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._session: AsyncSession | None = None
        self._events: list[DomainEvent] = []

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in a transaction")
        self._session = session = self._session_factory()
        self._events = []
        self.users = SqlUserRepository(session, self._events)
        self.profiles = SqlProfileRepository(session)
        self.articles = SqlArticleRepository(session, self._events)
        self.comments = SqlCommentRepository(session)
        self.follows = SqlFollowRepository(session)
        self.favorites = SqlFavoriteRepository(session)
        self.jobs = SqlJobRepository(session)
        self.audit = SqlAuditLog(session, self._clock)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        if session is not None:
            # Closing returns the connection to the pool and rolls back whatever was not committed.
            await session.close()

    def record(self, event: DomainEvent) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        if self._session is None:
            raise RuntimeError("commit() outside `async with`")
        events = self._events[:]
        self._events.clear()
        for job in jobs_for(events, now=self._clock.now(), request_id=current_request_id.get()):
            await self.jobs.add(job)
        audited = self.audit.take_written()
        try:
            await self._session.commit()
        except IntegrityError as error:
            conflict = conflict_from(error)
            if conflict is None:
                raise
            raise conflict from error
        log_committed(audited)
