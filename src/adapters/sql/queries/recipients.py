"""Read side of the mail jobs: who a mail goes to, and which followers hear of a new article."""

from sqlalchemy import RowMapping, select

from adapters.sql.queries.articles import SqlArticleQueries
from adapters.sql.reader import SqlReader
from adapters.sql.tables import articles, follows, users
from application.ports.queries import RecipientQueries
from application.views import ArticleView, Recipient
from domain.ids import ArticleId, UserId

_recipient = select(users.c.id, users.c.email, users.c.username, users.c.email_verified_at, users.c.is_active)


def _of(row: RowMapping) -> Recipient:
    return Recipient(
        user_id=UserId(row["id"]), email=row["email"], username=row["username"],
        email_verified=row["email_verified_at"] is not None, is_active=bool(row["is_active"]),
    )


class SqlRecipientQueries(RecipientQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def recipient(self, user_id: UserId) -> Recipient | None:
        row = (await self._reader.run(_recipient.where(users.c.id == user_id))).mappings().one_or_none()
        return None if row is None else _of(row)

    async def recipients(self, user_ids: list[UserId]) -> list[Recipient]:
        if not user_ids:
            return []
        rows = (await self._reader.run(_recipient.where(users.c.id.in_(user_ids)))).mappings().all()
        return [_of(row) for row in rows]

    async def notified_followers(self, author_id: UserId, *, after: UserId | None, limit: int) -> list[UserId]:
        # Keyset paging on the follows key (follower_id), reached through the followee_id index.
        statement = (
            select(follows.c.follower_id)
            .join(users, users.c.id == follows.c.follower_id)
            .where(follows.c.followee_id == author_id, users.c.is_active, users.c.email_verified_at.is_not(None))
            .order_by(follows.c.follower_id)
            .limit(limit)
        )
        if after is not None:
            statement = statement.where(follows.c.follower_id > after)
        return [UserId(user_id) for user_id in (await self._reader.run(statement)).scalars()]

    async def published_article(self, article_id: ArticleId) -> ArticleView | None:
        slug = (await self._reader.run(select(articles.c.slug).where(articles.c.id == article_id))).scalar()
        if slug is None:
            return None
        return await SqlArticleQueries(self._reader).article(slug, viewer=None)
