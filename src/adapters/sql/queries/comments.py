"""Read side of comments: an article's comments, or one comment, with their authors, in one SELECT."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import READ_ONLY
from adapters.sql.queries.authors import AnyRow, profile_columns, profile_of, with_profile
from adapters.sql.tables import articles, comments, profiles, users
from application.ports.queries import CommentQueries
from application.views import CommentView
from domain.ids import CommentId, UserId


def _view(row: AnyRow) -> CommentView:
    return CommentView(
        id=CommentId(row.id), body=row.body, created_at=row.created_at, updated_at=row.updated_at,
        author=profile_of(row),
    )


class SqlCommentQueries(CommentQueries):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def comments(self, slug: str, *, viewer: UserId | None) -> list[CommentView] | None:
        # From the article outwards, so that an article without comments still gives one row (with
        # NULL comment columns) and only a missing article gives none.
        on_article = (
            articles.outerjoin(comments, comments.c.article_id == articles.c.id)
            .outerjoin(users, users.c.id == comments.c.author_id)
            .outerjoin(profiles, profiles.c.user_id == comments.c.author_id)
        )
        statement = (
            select(
                comments.c.id, comments.c.body, comments.c.created_at, comments.c.updated_at,
                *profile_columns(viewer, comments.c.author_id),
            )
            .select_from(on_article)
            .where(articles.c.slug == slug)
            .order_by(comments.c.created_at, comments.c.id)
        )
        async with self._session_factory(execution_options=READ_ONLY) as session:
            rows = (await session.execute(statement)).all()
        if not rows:
            return None
        return [_view(row) for row in rows if row.id is not None]

    async def comment(self, comment_id: CommentId, *, viewer: UserId | None) -> CommentView | None:
        statement = (
            select(
                comments.c.id, comments.c.body, comments.c.created_at, comments.c.updated_at,
                *profile_columns(viewer, comments.c.author_id),
            )
            .select_from(with_profile(comments, comments.c.author_id))
            .where(comments.c.id == comment_id)
        )
        async with self._session_factory(execution_options=READ_ONLY) as session:
            row = (await session.execute(statement)).one_or_none()
        return None if row is None else _view(row)
