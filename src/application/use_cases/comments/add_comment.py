"""Comment on an article."""

from application.actor import Actor
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.queries import CommentQueries
from application.views import CommentView
from domain.articles import Comment
from domain.errors import NotFound


class AddComment:
    """Raises NotFound (field `article`) or InvalidValue (field `body`)."""

    def __init__(self, *, uow: UnitOfWork, comments: CommentQueries, clock: Clock) -> None:
        self._uow = uow
        self._comments = comments
        self._clock = clock

    async def __call__(self, actor: Actor, *, slug: str, body: str) -> CommentView:
        async with self._uow as uow:
            article = await uow.articles.by_slug(slug)
            if article is None:
                raise NotFound("not found", field="article")
            comment = Comment.write(article_id=article.id, author_id=actor.user_id, body=body, now=self._clock.now())
            comment_id = await uow.comments.add(comment)
            await uow.commit()
        view = await self._comments.comment(comment_id, viewer=actor.user_id)
        if view is None:  # deleted between the commit and the read
            raise NotFound("not found", field="comment")
        return view
