"""In-memory read side of a user's data export."""

from adapters.memory.database import MemoryDatabase
from application.ports.queries import UserDataQueries
from application.views import ExportCounts, ExportedAccount, ExportedArticle, ExportedComment
from domain.articles import Article
from domain.ids import UserId
from domain.paging import Page


class MemoryUserDataQueries(UserDataQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def counts(self, user_id: UserId) -> ExportCounts:
        state = self._db.state
        return ExportCounts(
            articles=len(self._articles(user_id)),
            comments=sum(1 for c in state.comments.values() if c.author_id == user_id),
            favorites=sum(1 for fan, _ in state.favorites if fan == user_id),
            following=sum(1 for follower, _ in state.follows if follower == user_id),
        )

    async def account(self, user_id: UserId) -> ExportedAccount | None:
        state = self._db.state
        user, profile = state.users.get(user_id), state.profiles.get(user_id)
        if user is None or profile is None:
            return None
        return ExportedAccount(
            username=user.username.value, email=user.email.value, email_verified=user.is_verified, role=user.role,
            bio=profile.bio, image=profile.image, created_at=user.created_at,
        )

    async def articles(self, user_id: UserId, page: Page) -> list[ExportedArticle]:
        state = self._db.state
        return [
            ExportedArticle(
                slug=a.slug, title=a.title, description=a.description, body=a.body, tags=a.tags,
                created_at=a.created_at, updated_at=a.updated_at,
                favorites_count=sum(1 for _, article_id in state.favorites if article_id == a.id),
            )
            for a in self._articles(user_id)[page.offset : page.offset + page.limit]
        ]

    async def comments(self, user_id: UserId, page: Page) -> list[ExportedComment]:
        state = self._db.state
        mine = sorted((c for c in state.comments.values() if c.author_id == user_id),
                      key=lambda c: (c.created_at, c.id or 0))
        return [
            ExportedComment(id=c.id, article_slug=state.articles[c.article_id].slug, body=c.body,
                            created_at=c.created_at)
            for c in mine[page.offset : page.offset + page.limit] if c.id is not None
        ]

    async def favorites(self, user_id: UserId, page: Page) -> list[str]:
        state = self._db.state
        liked = sorted((state.articles[a] for fan, a in state.favorites if fan == user_id),
                       key=lambda a: (a.created_at, a.id))
        return [a.slug for a in liked[page.offset : page.offset + page.limit]]

    async def following(self, user_id: UserId, page: Page) -> list[str]:
        state = self._db.state
        names = sorted(state.users[followee].username.value for follower, followee in state.follows
                       if follower == user_id)
        return names[page.offset : page.offset + page.limit]

    def _articles(self, user_id: UserId) -> list[Article]:
        return sorted((a for a in self._db.state.articles.values() if a.author_id == user_id),
                      key=lambda a: (a.created_at, a.id))
