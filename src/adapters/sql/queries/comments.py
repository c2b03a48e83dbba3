"""Read side of comments: an article's comments, or one comment, with their authors, in one SELECT."""

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select

from adapters.sql.queries.authors import AnyRow, profile_columns, profile_of, viewer_parameters, with_profile
from adapters.sql.reader import SqlReader
from adapters.sql.tables import articles, comments, profiles, users
from application.ports.queries import CommentQueries
from application.views import CommentView
from domain.ids import CommentId, UserId


def _view(row: AnyRow) -> CommentView:
    return CommentView(
        id=CommentId(row.id), body=row.body, created_at=row.created_at, updated_at=row.updated_at,
        author=profile_of(row),
    )


@cache
def _comments_statement(signed_in: bool) -> Select[Any]:
    # From the article outwards, so that an article without comments still gives one row (with
    # NULL comment columns) and only a missing article gives none.
    on_article = (
        articles.outerjoin(comments, comments.c.article_id == articles.c.id)
        .outerjoin(users, users.c.id == comments.c.author_id)
        .outerjoin(profiles, profiles.c.user_id == comments.c.author_id)
    )
    return (
        select(
            comments.c.id, comments.c.body, comments.c.created_at, comments.c.updated_at,
            *profile_columns(signed_in, comments.c.author_id),
        )
        .select_from(on_article)
        .where(articles.c.slug == bindparam("slug"))
        .order_by(comments.c.created_at, comments.c.id)
    )


@cache
def _comment_statement(signed_in: bool) -> Select[Any]:
    return (
        select(
            comments.c.id, comments.c.body, comments.c.created_at, comments.c.updated_at,
            *profile_columns(signed_in, comments.c.author_id),
        )
        .select_from(with_profile(comments, comments.c.author_id))
        .where(comments.c.id == bindparam("comment_id"))
    )


class SqlCommentQueries(CommentQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def comments(self, slug: str, *, viewer: UserId | None) -> list[CommentView] | None:
        statement = _comments_statement(viewer is not None)
        rows = (await self._reader.run(statement, {"slug": slug, **viewer_parameters(viewer)})).all()
        if not rows:
            return None
        return [_view(row) for row in rows if row.id is not None]

    async def comment(self, comment_id: CommentId, *, viewer: UserId | None) -> CommentView | None:
        statement = _comment_statement(viewer is not None)
        row = (await self._reader.run(statement, {"comment_id": comment_id, **viewer_parameters(viewer)})).one_or_none()
        return None if row is None else _view(row)
