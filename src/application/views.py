"""Read models returned by queries and use cases: frozen, viewer-specific, never aggregates."""

from dataclasses import dataclass
from datetime import datetime

from domain.ids import CommentId, SessionId, UserId
from domain.users import Role, SessionCutoff


@dataclass(frozen=True, slots=True)
class AccountView:
    """The signed-in user's own account."""

    user_id: UserId
    email: str
    username: str
    bio: str | None
    image: str | None
    role: Role


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token may speak for: what authentication reads about a user on every request."""

    user_id: UserId
    role: Role
    is_active: bool
    cutoff: SessionCutoff

    def admits(self, *, issued_at: datetime, session_id: SessionId) -> bool:
        return self.is_active and self.cutoff.admits(issued_at=issued_at, session_id=session_id)


@dataclass(frozen=True, slots=True)
class ProfileView:
    """A user as another user sees them."""

    username: str
    bio: str | None
    image: str | None
    following: bool


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """An article as a list shows it: everything but the body."""

    slug: str
    title: str
    description: str
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    favorited: bool
    favorites_count: int
    author: ProfileView


@dataclass(frozen=True, slots=True)
class ArticleView(ArticleSummary):
    body: str


@dataclass(frozen=True, slots=True)
class ArticlePage:
    articles: list[ArticleSummary]
    total: int  # matches across all pages, not the page size


@dataclass(frozen=True, slots=True)
class CommentView:
    id: CommentId
    body: str
    created_at: datetime
    updated_at: datetime
    author: ProfileView
