"""Delete a comment."""

from application.actor import Actor
from application.ports.persistence import UnitOfWork
from domain.audit import AuditAction, AuditEvent
from domain.errors import NotFound
from domain.ids import CommentId


class DeleteComment:
    """Raises NotFound for the article, then NotFound for a comment not on that article, then
    Forbidden unless the caller wrote the comment or is an admin. An administrator's removal of
    someone else's comment is recorded in the audit log."""

    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, actor: Actor, *, slug: str, comment_id: CommentId) -> None:
        async with self._uow as uow:
            article = await uow.articles.by_slug(slug)
            if article is None:
                raise NotFound("not found", field="article")
            comment = await uow.comments.get(comment_id)
            if comment is None or comment.article_id != article.id:
                raise NotFound("not found", field="comment")
            comment.ensure_deletable_by(actor.user_id, is_admin=actor.is_admin)
            await uow.comments.remove(comment)
            if comment.author_id != actor.user_id:
                await uow.audit.add(AuditEvent(
                    action=AuditAction.COMMENT_REMOVED, actor_id=actor.user_id, target_id=comment.author_id,
                    target=article.slug, details={"comment": str(comment_id)},
                ))
            await uow.commit()
