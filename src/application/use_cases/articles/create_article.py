"""Write a new article."""

from application.actor import Actor
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.queries import ArticleQueries
from application.views import ArticleView
from domain.articles import Article
from domain.errors import Conflict, NotFound

# A slug's random suffix makes a collision rare; a few fresh draws make a failure practically impossible.
SLUG_ATTEMPTS = 5


class CreateArticle:
    """Raises InvalidValue for a blank or oversized field. Equal titles get different slugs."""

    def __init__(self, *, uow: UnitOfWork, articles: ArticleQueries, clock: Clock) -> None:
        self._uow = uow
        self._articles = articles
        self._clock = clock

    async def __call__(
        self, actor: Actor, *, title: str, description: str, body: str, tags: list[str]
    ) -> ArticleView:
        article = Article.write(
            author_id=actor.user_id, title=title, description=description, body=body, tags=tags,
            now=self._clock.now(),
        )
        for attempt in range(SLUG_ATTEMPTS):
            try:
                async with self._uow as uow:
                    await uow.articles.add(article)
                    await uow.commit()
                break
            except Conflict:
                if attempt == SLUG_ATTEMPTS - 1:
                    raise
                article.renew_slug()
        view = await self._articles.article(article.slug, viewer=actor.user_id)
        if view is None:  # deleted between the commit and the read
            raise NotFound("not found", field="article")
        return view
