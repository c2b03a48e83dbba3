"""Every comment on an article, oldest first."""

from application.actor import Actor
from application.ports.queries import CommentQueries
from application.views import CommentView
from domain.errors import NotFound


class ListComments:
    """Raises NotFound (field `article`)."""

    def __init__(self, *, comments: CommentQueries) -> None:
        self._comments = comments

    async def __call__(self, viewer: Actor | None, *, slug: str) -> list[CommentView]:
        comments = await self._comments.comments(slug, viewer=viewer.user_id if viewer else None)
        if comments is None:
            raise NotFound("not found", field="article")
        return comments
