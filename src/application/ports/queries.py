"""Read-side ports: each answers one question with one query and returns views."""

from dataclasses import dataclass
from typing import Protocol

from application.views import AccountView, ArticlePage, ArticleView, CommentView, Principal, ProfileView
from domain.ids import CommentId, UserId
from domain.paging import Page


class PrincipalQueries(Protocol):
    async def principal(self, user_id: UserId) -> Principal | None:
        """Role, active flag and session cut-off, read fresh on every request so that demotion,
        deactivation and log-out-everywhere act at once. One indexed read, no write lock."""
        ...


class AccountQueries(Protocol):
    async def account(self, user_id: UserId) -> AccountView | None: ...

    async def profile(self, username: str, *, viewer: UserId | None) -> ProfileView | None:
        """Found whatever the letter case of `username`; `following` is False for an anonymous viewer."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleFilter:
    """Narrows a listing; every given criterion must hold. Usernames match whatever their letter case."""

    tag: str | None = None
    author: str | None = None
    favorited_by: str | None = None


class ArticleQueries(Protocol):
    """Newest first; articles written in the same instant are ordered by id, so the order is total and
    paging stable. `viewer` fills `favorited` and `following`."""

    async def article(self, slug: str, *, viewer: UserId | None) -> ArticleView | None: ...

    async def articles(self, criteria: ArticleFilter, page: Page, *, viewer: UserId | None) -> ArticlePage: ...

    async def feed(self, page: Page, *, viewer: UserId) -> ArticlePage:
        """Articles by the authors `viewer` follows."""
        ...


class CommentQueries(Protocol):
    async def comments(self, slug: str, *, viewer: UserId | None) -> list[CommentView] | None:
        """Every comment on the article, oldest first; None when there is no such article."""
        ...

    async def comment(self, comment_id: CommentId, *, viewer: UserId | None) -> CommentView | None: ...


class TagQueries(Protocol):
    async def tags(self) -> list[str]:
        """Every tag in use, most used first."""
        ...
