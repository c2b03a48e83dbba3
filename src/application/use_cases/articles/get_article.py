"""Read one article."""

from application.actor import Actor
from application.ports.queries import ArticleQueries
from application.views import ArticleView
from domain.errors import NotFound


class GetArticle:
    """Raises NotFound (field `article`)."""

    def __init__(self, *, articles: ArticleQueries) -> None:
        self._articles = articles

    async def __call__(self, viewer: Actor | None, *, slug: str) -> ArticleView:
        view = await self._articles.article(slug, viewer=viewer.user_id if viewer else None)
        if view is None:
            raise NotFound("not found", field="article")
        return view
