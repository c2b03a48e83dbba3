"""Persistence ports: repositories of aggregates and the unit of work that commits them together."""

from types import TracebackType
from typing import Protocol, Self

from domain.articles import Article, Comment
from domain.events import DomainEvent
from domain.ids import ArticleId, CommentId, UserId
from domain.profiles import Profile
from domain.users import Email, User, Username


class UserRepository(Protocol):
    """Accounts. `add` and `save` raise Conflict (field `email` or `username`) on a taken value,
    at the latest when the unit of work commits."""

    async def add(self, user: User) -> None: ...

    async def get(self, user_id: UserId) -> User | None: ...

    async def by_email(self, email: Email) -> User | None: ...

    async def by_username(self, username: Username) -> User | None:
        """Found whatever the letter case of `username`."""
        ...

    async def save(self, user: User) -> None: ...


class ProfileRepository(Protocol):
    async def add(self, profile: Profile) -> None: ...

    async def get(self, user_id: UserId) -> Profile | None: ...

    async def save(self, profile: Profile) -> None: ...


class ArticleRepository(Protocol):
    """Articles with their tags. `add` and `save` raise Conflict (field `slug`) when the slug is taken,
    at the latest when the unit of work commits."""

    async def add(self, article: Article) -> None: ...

    async def by_slug(self, slug: str) -> Article | None: ...

    async def save(self, article: Article) -> None: ...

    async def remove(self, article: Article) -> None:
        """Also removes its comments, favorites and tag links."""
        ...


class CommentRepository(Protocol):
    async def add(self, comment: Comment) -> CommentId:
        """Store the comment and return the id it was given."""
        ...

    async def get(self, comment_id: CommentId) -> Comment | None: ...

    async def remove(self, comment: Comment) -> None: ...


class FollowRepository(Protocol):
    """Who follows whom. Adding an existing pair or removing a missing one changes nothing."""

    async def add(self, follower: UserId, followee: UserId) -> None: ...

    async def remove(self, follower: UserId, followee: UserId) -> None: ...


class FavoriteRepository(Protocol):
    """Which user favorites which article. Adding an existing pair or removing a missing one changes nothing."""

    async def add(self, user_id: UserId, article_id: ArticleId) -> None: ...

    async def remove(self, user_id: UserId, article_id: ArticleId) -> None: ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the `async with` block without `commit()` rolls back.

    On commit, the events recorded by the aggregates it saw are drained into
    `committed_events`; a transactional outbox writes them in the same transaction.
    """

    users: UserRepository
    profiles: ProfileRepository
    articles: ArticleRepository
    comments: CommentRepository
    follows: FollowRepository
    favorites: FavoriteRepository
    committed_events: list[DomainEvent]

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    async def commit(self) -> None: ...
