"""Repositories of articles (with their tag links) and comments on one AsyncSession; they never commit."""

from sqlalchemy import Uuid, delete, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.conflicts import is_missing_reference
from adapters.sql.mapping import article_from_row, article_row, comment_from_row, comment_row
from adapters.sql.tables import UtcDateTime, article_tags, articles, comments, tags
from adapters.sql.writes import insert_or_ignore, upsert, write
from application.ports.persistence import ArticleRepository, CommentRepository
from domain.articles import Article, Comment
from domain.errors import NotFound
from domain.events import DomainEvent
from domain.ids import CommentId


class SqlArticleRepository(ArticleRepository):
    """The `tag_list` column and the `article_tags` rows say the same thing; both are written here,
    in the caller's transaction. Tags no longer linked stay in `tags`: deleting them would race with
    a writer about to link one, and the tag listing counts links, not names."""

    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self._session = session
        self._events = events

    async def add(self, article: Article) -> None:
        await write(self._session, insert(articles).values(article_row(article)))
        await self._link_tags(article)
        self._events.extend(article.pull_events())

    async def by_slug(self, slug: str) -> Article | None:
        row = (await self._session.execute(select(articles).where(articles.c.slug == slug))).mappings().one_or_none()
        return None if row is None else article_from_row(row)

    async def save(self, article: Article) -> None:
        await upsert(self._session, articles, "id", article_row(article))
        await self._session.execute(delete(article_tags).where(article_tags.c.article_id == article.id))
        await self._link_tags(article)
        self._events.extend(article.pull_events())

    async def remove(self, article: Article) -> None:
        # The foreign keys cascade to the comments, favorites and tag links.
        await self._session.execute(delete(articles).where(articles.c.id == article.id))

    async def _link_tags(self, article: Article) -> None:
        if not article.tags:
            return
        # Sorted, so that two writers inserting the same new tags lock them in the same order
        # and cannot deadlock; ON CONFLICT makes the second one wait for the first, then skip.
        names = sorted(article.tags)
        await self._session.execute(insert_or_ignore(self._session, tags, [{"name": name} for name in names]))
        # In tag order, so that the counting trigger (migration 0004) locks tags in one order for every writer.
        linked = (
            select(literal(article.id, Uuid), tags.c.id, literal(article.created_at, UtcDateTime))
            .where(tags.c.name.in_(names))
            .order_by(tags.c.id)
        )
        columns = ["article_id", "tag_id", "article_created_at"]
        await self._session.execute(insert(article_tags).from_select(columns, linked))


class SqlCommentRepository(CommentRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, comment: Comment) -> CommentId:
        """Raises NotFound (field `article`) when the article was deleted after the caller looked it up."""
        statement = insert(comments).values(comment_row(comment)).returning(comments.c.id)
        try:
            assigned = (await self._session.execute(statement)).scalar_one()
        except IntegrityError as error:
            if not is_missing_reference(error):
                raise
            raise NotFound("not found", field="article") from error
        comment.id = CommentId(assigned)
        return comment.id

    async def get(self, comment_id: CommentId) -> Comment | None:
        statement = select(comments).where(comments.c.id == comment_id)
        row = (await self._session.execute(statement)).mappings().one_or_none()
        return None if row is None else comment_from_row(row)

    async def remove(self, comment: Comment) -> None:
        if comment.id is not None:
            await self._session.execute(delete(comments).where(comments.c.id == comment.id))
