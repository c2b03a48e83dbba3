"""Read side of a user's data export: a page of one section at a time."""

from typing import Any

from sqlalchemy import Select, func, select

from adapters.sql.reader import SqlReader
from adapters.sql.tables import articles, comments, favorites, follows, profiles, users
from application.ports.queries import UserDataQueries
from application.views import ExportCounts, ExportedAccount, ExportedArticle, ExportedComment
from domain.ids import CommentId, UserId
from domain.paging import Page
from domain.users import Role


class SqlUserDataQueries(UserDataQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def counts(self, user_id: UserId) -> ExportCounts:
        def count(table: Any, column: Any) -> Any:
            return select(func.count()).select_from(table).where(column == user_id).scalar_subquery()

        statement = select(
            count(articles, articles.c.author_id).label("articles"),
            count(comments, comments.c.author_id).label("comments"),
            count(favorites, favorites.c.user_id).label("favorites"),
            count(follows, follows.c.follower_id).label("following"),
        )
        row = (await self._rows(statement))[0]
        return ExportCounts(articles=row.articles, comments=row.comments, favorites=row.favorites,
                            following=row.following)

    async def account(self, user_id: UserId) -> ExportedAccount | None:
        statement = (
            select(users.c.username, users.c.email, users.c.email_verified_at, users.c.role, users.c.created_at,
                   profiles.c.bio, profiles.c.image)
            .join(profiles, profiles.c.user_id == users.c.id)
            .where(users.c.id == user_id)
        )
        rows = await self._rows(statement)
        if not rows:
            return None
        row = rows[0]
        return ExportedAccount(
            username=row.username, email=row.email, email_verified=row.email_verified_at is not None,
            role=Role(row.role), bio=row.bio, image=row.image, created_at=row.created_at,
        )

    async def articles(self, user_id: UserId, page: Page) -> list[ExportedArticle]:
        favorites_count = select(func.count()).where(favorites.c.article_id == articles.c.id).scalar_subquery()
        statement = (
            select(articles, favorites_count.label("favorites_count"))
            .where(articles.c.author_id == user_id)
            .order_by(articles.c.created_at, articles.c.id)
            .limit(page.limit).offset(page.offset)
        )
        return [
            ExportedArticle(
                slug=row.slug, title=row.title, description=row.description, body=row.body, tags=tuple(row.tag_list),
                created_at=row.created_at, updated_at=row.updated_at, favorites_count=row.favorites_count,
            )
            for row in await self._rows(statement)
        ]

    async def comments(self, user_id: UserId, page: Page) -> list[ExportedComment]:
        statement = (
            select(comments.c.id, comments.c.body, comments.c.created_at, articles.c.slug)
            .join(articles, articles.c.id == comments.c.article_id)
            .where(comments.c.author_id == user_id)
            .order_by(comments.c.created_at, comments.c.id)
            .limit(page.limit).offset(page.offset)
        )
        return [
            ExportedComment(id=CommentId(row.id), article_slug=row.slug, body=row.body, created_at=row.created_at)
            for row in await self._rows(statement)
        ]

    async def favorites(self, user_id: UserId, page: Page) -> list[str]:
        statement = (
            select(articles.c.slug)
            .join(favorites, favorites.c.article_id == articles.c.id)
            .where(favorites.c.user_id == user_id)
            .order_by(articles.c.created_at, articles.c.id)
            .limit(page.limit).offset(page.offset)
        )
        return [row.slug for row in await self._rows(statement)]

    async def following(self, user_id: UserId, page: Page) -> list[str]:
        statement = (
            select(users.c.username)
            .join(follows, follows.c.followee_id == users.c.id)
            .where(follows.c.follower_id == user_id)
            .order_by(users.c.username)
            .limit(page.limit).offset(page.offset)
        )
        return [row.username for row in await self._rows(statement)]

    async def _rows(self, statement: Select[Any]) -> list[Any]:
        return list((await self._reader.run(statement)).all())
