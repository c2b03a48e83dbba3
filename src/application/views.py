"""Read models returned by queries and use cases: frozen, viewer-specific, never aggregates."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.audit import AuditAction
from domain.ids import CommentId, JobId, UserId
from domain.jobs import JobStatus
from domain.sessions import TokenClaims
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
    email_verified: bool


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token may speak for: what authentication reads about a user on every request."""

    user_id: UserId
    role: Role
    is_active: bool
    cutoff: SessionCutoff

    def admits(self, claims: TokenClaims) -> bool:
        return self.is_active and self.cutoff.admits(
            credentials_version=claims.credentials_version, session_id=claims.session_id
        )


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


@dataclass(frozen=True, slots=True)
class JobView:
    """A job as its owner or an administrator sees it; `error` is the last failure's message."""

    id: JobId
    type: str
    status: JobStatus
    progress: int
    attempts: int
    owner_id: UserId | None
    created_at: datetime
    updated_at: datetime
    error: str | None
    result: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class JobPage:
    jobs: list[JobView]
    total: int


@dataclass(frozen=True, slots=True)
class JobStats:
    """How the job table stands, for monitoring: jobs in each status (every status present, if only as 0),
    and when the job that has waited longest in `queued` was queued (None when none is queued)."""

    by_status: dict[JobStatus, int]
    oldest_queued_at: datetime | None


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who a mail goes to."""

    user_id: UserId
    email: str
    username: str
    email_verified: bool
    is_active: bool


@dataclass(frozen=True, slots=True)
class ExportedAccount:
    username: str
    email: str
    email_verified: bool
    role: Role
    bio: str | None
    image: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ExportedArticle:
    slug: str
    title: str
    description: str
    body: str
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime
    favorites_count: int


@dataclass(frozen=True, slots=True)
class ExportedComment:
    id: CommentId
    article_slug: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ExportCounts:
    articles: int
    comments: int
    favorites: int
    following: int


@dataclass(frozen=True, slots=True)
class ManagedUser:
    """A user as an administrator sees them."""

    user_id: UserId
    username: str
    email: str
    role: Role
    is_active: bool
    email_verified: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ManagedUserPage:
    users: list[ManagedUser]
    total: int  # matches across all pages


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    """One row of the audit log; `id` grows with every entry."""

    id: int
    at: datetime
    action: AuditAction
    actor_id: UserId | None
    target_id: UserId | None
    target: str | None
    client_address: str | None
    request_id: str | None
    details: dict[str, str]


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: list[AuditEntryView]
    total: int  # matches across all pages
