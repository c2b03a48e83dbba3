"""Read-side ports: each answers one question with one query and returns views."""

from dataclasses import dataclass
from typing import Protocol

from application.views import (
    AccountView,
    ArticlePage,
    ArticleView,
    AuditPage,
    CommentView,
    ExportCounts,
    ExportedAccount,
    ExportedArticle,
    ExportedComment,
    JobPage,
    JobStats,
    JobView,
    ManagedUser,
    ManagedUserPage,
    Principal,
    ProfileView,
    Recipient,
)
from domain.audit import AuditAction
from domain.ids import ArticleId, CommentId, JobId, UserId
from domain.jobs import JobStatus
from domain.paging import Page
from domain.users import Role


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


class JobQueries(Protocol):
    async def job(self, job_id: JobId) -> JobView | None: ...

    async def jobs(self, *, status: JobStatus | None, page: Page) -> JobPage:
        """Newest first."""
        ...

    async def stats(self) -> JobStats:
        """Counted in one query, for a metrics scrape."""
        ...


class RecipientQueries(Protocol):
    """Who the mail jobs write to, read when the mail is sent rather than when it was asked for."""

    async def recipient(self, user_id: UserId) -> Recipient | None: ...

    async def recipients(self, user_ids: list[UserId]) -> list[Recipient]:
        """Those of `user_ids` that still exist, in no particular order."""
        ...

    async def notified_followers(self, author_id: UserId, *, after: UserId | None, limit: int) -> list[UserId]:
        """Up to `limit` active followers of `author_id` with a verified address, in id order, after `after`."""
        ...

    async def published_article(self, article_id: ArticleId) -> ArticleView | None:
        """The article as an anonymous reader sees it."""
        ...


class UserDataQueries(Protocol):
    """What a user's data export holds, read a page at a time so that no account is held in memory whole.
    Articles and comments come oldest first, favorites in the order of their articles, follows by
    username; ties are broken by id, so pages never skip or repeat."""

    async def counts(self, user_id: UserId) -> ExportCounts: ...

    async def account(self, user_id: UserId) -> ExportedAccount | None: ...

    async def articles(self, user_id: UserId, page: Page) -> list[ExportedArticle]:
        """The articles the user wrote."""
        ...

    async def comments(self, user_id: UserId, page: Page) -> list[ExportedComment]:
        """The comments the user wrote, on any article."""
        ...

    async def favorites(self, user_id: UserId, page: Page) -> list[str]:
        """Slugs of the articles the user favorited."""
        ...

    async def following(self, user_id: UserId, page: Page) -> list[str]:
        """Usernames of the users the user follows."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class UserFilter:
    """Narrows the administrators' list of users; every given criterion must hold. `text` is found
    anywhere in the username or the e-mail address, whatever its letter case; `%` and `_` are plain."""

    text: str | None = None
    role: Role | None = None
    active: bool | None = None


class ManagedUserQueries(Protocol):
    """Users as administrators see them, oldest account first (ties by id, so paging is stable)."""

    async def users(self, criteria: UserFilter, page: Page) -> ManagedUserPage: ...

    async def user(self, username: str) -> ManagedUser | None:
        """Found whatever the letter case of `username`."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditFilter:
    """Narrows the audit log; every given criterion must hold. `target` is the target's text (a
    username, a slug, an e-mail as typed), matched exactly; `target_id` the user it concerns."""

    action: AuditAction | None = None
    actor_id: UserId | None = None
    target_id: UserId | None = None
    target: str | None = None


class AuditQueries(Protocol):
    async def entries(self, criteria: AuditFilter, page: Page) -> AuditPage:
        """Newest first; entries of the same instant by id, newest first."""
        ...
