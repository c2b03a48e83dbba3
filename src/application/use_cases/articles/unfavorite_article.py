"""Unfavorite an article."""

from application.actor import Actor
from application.ports.persistence import UnitOfWork
from application.ports.queries import ArticleQueries
from application.use_cases.articles.favorite_article import read_back
from application.views import ArticleView
from domain.errors import NotFound


class UnfavoriteArticle:
    """Unfavoriting an article one never favorited changes nothing. Raises NotFound."""

    def __init__(self, *, uow: UnitOfWork, articles: ArticleQueries) -> None:
        self._uow = uow
        self._articles = articles

    async def __call__(self, actor: Actor, *, slug: str) -> ArticleView:
        async with self._uow as uow:
            article = await uow.articles.by_slug(slug)
            if article is None:
                raise NotFound("not found", field="article")
            await uow.favorites.remove(actor.user_id, article.id)
            await uow.commit()
        return await read_back(self._articles, slug, actor)
