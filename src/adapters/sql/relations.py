"""Who follows whom and who favorites what: link rows, added and removed idempotently."""

from sqlalchemy import Executable, Uuid, delete, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.conflicts import is_missing_reference
from adapters.sql.tables import articles, favorites, follows
from adapters.sql.writes import insert_or_ignore, insert_selected_or_ignore
from application.ports.persistence import FavoriteRepository, FollowRepository
from domain.ids import ArticleId, UserId


async def _link(session: AsyncSession, statement: Executable) -> None:
    """Insert the pair unless it is there. A pair whose user or article is gone (deleted by a
    concurrent transaction after the caller looked it up) is not stored, as in the in-memory
    reference; the savepoint keeps PostgreSQL's transaction usable after the refused insert."""
    try:
        async with session.begin_nested():
            await session.execute(statement)
    except IntegrityError as error:
        if not is_missing_reference(error):
            raise


class SqlFollowRepository(FollowRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, follower: UserId, followee: UserId) -> None:
        row = {"follower_id": follower, "followee_id": followee}
        await _link(self._session, insert_or_ignore(self._session, follows, [row]))

    async def remove(self, follower: UserId, followee: UserId) -> None:
        await self._session.execute(
            delete(follows).where(follows.c.follower_id == follower, follows.c.followee_id == followee)
        )


class SqlFavoriteRepository(FavoriteRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user_id: UserId, article_id: ArticleId) -> None:
        # The row copies its article's creation time (see `tables`); an article that is gone gives no row.
        of_article = (
            select(literal(user_id, Uuid), articles.c.id, articles.c.created_at).where(articles.c.id == article_id)
        )
        columns = ["user_id", "article_id", "article_created_at"]
        await _link(self._session, insert_selected_or_ignore(self._session, favorites, columns, of_article))

    async def remove(self, user_id: UserId, article_id: ArticleId) -> None:
        await self._session.execute(
            delete(favorites).where(favorites.c.user_id == user_id, favorites.c.article_id == article_id)
        )
