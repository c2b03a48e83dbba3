"""Edit an article: title, description, body or tags."""

from dataclasses import dataclass

from application.actor import Actor
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.queries import ArticleQueries
from application.use_cases.articles.create_article import SLUG_ATTEMPTS
from application.views import ArticleView
from domain.errors import Conflict, NotFound


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleChanges:
    """None leaves a field as it is; an empty `tags` list removes every tag."""

    title: str | None = None
    description: str | None = None
    body: str | None = None
    tags: list[str] | None = None


class UpdateArticle:
    """Raises NotFound, then Forbidden (only the author or an admin), then InvalidValue."""

    def __init__(self, *, uow: UnitOfWork, articles: ArticleQueries, clock: Clock) -> None:
        self._uow = uow
        self._articles = articles
        self._clock = clock

    async def __call__(self, actor: Actor, *, slug: str, changes: ArticleChanges) -> ArticleView:
        for attempt in range(SLUG_ATTEMPTS):
            try:
                new_slug = await self._apply(actor, slug, changes)
                break
            except Conflict:  # the new title's slug was taken meanwhile: draw another
                if attempt == SLUG_ATTEMPTS - 1:
                    raise
        view = await self._articles.article(new_slug, viewer=actor.user_id)
        if view is None:
            raise NotFound("not found", field="article")
        return view

    async def _apply(self, actor: Actor, slug: str, changes: ArticleChanges) -> str:
        async with self._uow as uow:
            article = await uow.articles.by_slug(slug)
            if article is None:
                raise NotFound("not found", field="article")
            article.edit(
                by=actor.user_id, is_admin=actor.is_admin, now=self._clock.now(), title=changes.title,
                description=changes.description, body=changes.body, tags=changes.tags,
            )
            await uow.articles.save(article)
            await uow.commit()
        return article.slug
