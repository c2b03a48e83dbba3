"""Delete an article, with its comments, favorites and tag links."""

from application.actor import Actor
from application.ports.persistence import UnitOfWork
from domain.errors import NotFound


class DeleteArticle:
    """Raises NotFound, then Forbidden (only the author or an admin)."""

    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, actor: Actor, *, slug: str) -> None:
        async with self._uow as uow:
            article = await uow.articles.by_slug(slug)
            if article is None:
                raise NotFound("not found", field="article")
            article.ensure_editable_by(actor.user_id, is_admin=actor.is_admin)
            await uow.articles.remove(article)
            await uow.commit()
