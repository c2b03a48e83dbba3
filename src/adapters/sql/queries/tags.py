"""Read side of tags: every tag linked to an article, most used first, in one SELECT."""

from typing import Any

from sqlalchemy import ColumnElement, func, select

from adapters.sql.reader import SqlReader
from adapters.sql.tables import article_tags, tags
from application.ports.queries import TagQueries


def _by_code_point(name: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """Equal counts are ordered by name, code point by code point as in Python, whatever the
    database's collation; SQLite already compares text that way."""
    return name.collate("C") if dialect == "postgresql" else name


class SqlTagQueries(TagQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def tags(self) -> list[str]:
        # Joined to the links, so that a tag no article carries any more is left out.
        statement = (
            select(tags.c.name)
            .join_from(tags, article_tags, article_tags.c.tag_id == tags.c.id)
            .group_by(tags.c.id, tags.c.name)
            .order_by(func.count().desc(), _by_code_point(tags.c.name, self._reader.dialect))
        )
        return list((await self._reader.run(statement)).scalars())
