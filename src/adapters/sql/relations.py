"""Who follows whom and who favorites what: link rows, added and removed idempotently."""

from typing import Any

from sqlalchemy import Table, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.conflicts import is_missing_reference
from adapters.sql.tables import favorites, follows
from adapters.sql.writes import insert_or_ignore
from application.ports.persistence import FavoriteRepository, FollowRepository
from domain.ids import ArticleId, UserId


async def _link(session: AsyncSession, table: Table, row: dict[str, Any]) -> None:
    """Insert the pair unless it is there. A pair whose user or article is gone (deleted by a
    concurrent transaction after the caller looked it up) is not stored, as in the in-memory
    reference; the savepoint keeps PostgreSQL's transaction usable after the refused insert."""
    try:
        async with session.begin_nested():
            await session.execute(insert_or_ignore(session, table, [row]))
    except IntegrityError as error:
        if not is_missing_reference(error):
            raise


class SqlFollowRepository(FollowRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, follower: UserId, followee: UserId) -> None:
        await _link(self._session, follows, {"follower_id": follower, "followee_id": followee})

    async def remove(self, follower: UserId, followee: UserId) -> None:
        await self._session.execute(
            delete(follows).where(follows.c.follower_id == follower, follows.c.followee_id == followee)
        )


class SqlFavoriteRepository(FavoriteRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user_id: UserId, article_id: ArticleId) -> None:
        await _link(self._session, favorites, {"user_id": user_id, "article_id": article_id})

    async def remove(self, user_id: UserId, article_id: ArticleId) -> None:
        await self._session.execute(
            delete(favorites).where(favorites.c.user_id == user_id, favorites.c.article_id == article_id)
        )
