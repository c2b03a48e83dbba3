"""Delete an article, with its comments, favorites and tag links."""

from application.actor import Actor
from application.ports.persistence import UnitOfWork
from domain.audit import AuditAction, AuditEvent
from domain.errors import NotFound


class DeleteArticle:
    """Raises NotFound, then Forbidden (only the author or an admin). An administrator's removal of
    someone else's article is recorded in the audit log."""

    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, actor: Actor, *, slug: str) -> None:
        async with self._uow as uow:
            article = await uow.articles.by_slug(slug)
            if article is None:
                raise NotFound("not found", field="article")
            article.ensure_editable_by(actor.user_id, is_admin=actor.is_admin)
            await uow.articles.remove(article)
            if article.author_id != actor.user_id:
                await uow.audit.add(AuditEvent(
                    action=AuditAction.ARTICLE_REMOVED, actor_id=actor.user_id, target_id=article.author_id,
                    target=article.slug, details={"title": article.title},
                ))
            await uow.commit()
