"""Read side of tags: every tag linked to an article, most used first, in one SELECT."""

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import READ_ONLY
from adapters.sql.tables import article_tags, tags
from application.ports.queries import TagQueries


def _by_code_point(name: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """Equal counts are ordered by name, code point by code point as in Python, whatever the
    database's collation; SQLite already compares text that way."""
    return name.collate("C") if dialect == "postgresql" else name


class SqlTagQueries(TagQueries):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def tags(self) -> list[str]:
        async with self._session_factory(execution_options=READ_ONLY) as session:
            dialect = session.get_bind().dialect.name
            # Joined to the links, so that a tag no article carries any more is left out.
            statement = (
                select(tags.c.name)
                .join_from(tags, article_tags, article_tags.c.tag_id == tags.c.id)
                .group_by(tags.c.id, tags.c.name)
                .order_by(func.count().desc(), _by_code_point(tags.c.name, dialect))
            )
            return list((await session.execute(statement)).scalars())
