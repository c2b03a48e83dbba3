"""List articles, newest first, filtered by tag, author or favoriting user."""

from application.actor import Actor
from application.ports.queries import ArticleFilter, ArticleQueries
from application.views import ArticlePage
from domain.paging import Page


class ListArticles:
    def __init__(self, *, articles: ArticleQueries) -> None:
        self._articles = articles

    async def __call__(self, viewer: Actor | None, *, criteria: ArticleFilter, page: Page) -> ArticlePage:
        return await self._articles.articles(criteria, page, viewer=viewer.user_id if viewer else None)
