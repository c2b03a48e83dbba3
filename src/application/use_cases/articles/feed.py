"""The caller's feed: articles by the authors they follow, newest first."""

from application.actor import Actor
from application.ports.queries import ArticleQueries
from application.views import ArticlePage
from domain.paging import Page


class Feed:
    def __init__(self, *, articles: ArticleQueries) -> None:
        self._articles = articles

    async def __call__(self, actor: Actor, *, page: Page) -> ArticlePage:
        return await self._articles.feed(page, viewer=actor.user_id)
