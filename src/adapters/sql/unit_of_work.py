"""The SQL unit of work: one `async with` is one database transaction."""

from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.articles import SqlArticleRepository, SqlCommentRepository
from adapters.sql.conflicts import conflict_from
from adapters.sql.relations import SqlFavoriteRepository, SqlFollowRepository
from adapters.sql.repositories import SqlProfileRepository, SqlUserRepository
from application.ports.persistence import UnitOfWork
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

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None
        self.committed_events: list[DomainEvent] = []

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already in a transaction")
        self._session = self._session_factory()
        self.users = SqlUserRepository(self._session)
        self.profiles = SqlProfileRepository(self._session)
        self.articles = SqlArticleRepository(self._session)
        self.comments = SqlCommentRepository(self._session)
        self.follows = SqlFollowRepository(self._session)
        self.favorites = SqlFavoriteRepository(self._session)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        if session is not None:
            # Closing returns the connection to the pool and rolls back whatever was not committed.
            await session.close()

    async def commit(self) -> None:
        if self._session is None:
            raise RuntimeError("commit() outside `async with`")
        try:
            await self._session.commit()
        except IntegrityError as error:
            conflict = conflict_from(error)
            if conflict is None:
                raise
            raise conflict from error
        for user in self.users.seen.values():
            self.committed_events.extend(user.events)
            user.events.clear()
