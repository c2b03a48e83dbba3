"""Domain objects for the contract suites, with instants that carry microseconds to prove they round-trip."""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from domain.articles import Article, Comment
from domain.ids import ArticleId, UserId
from domain.profiles import Profile
from domain.users import Email, Role, User, Username

CREATED = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)


def a_user(
    *, email: str | None = None, username: str | None = None, role: Role = Role.USER, now: datetime = CREATED
) -> User:
    tag = secrets.token_hex(4)
    return User.register(
        email=Email(email or f"user-{tag}@example.com"),
        username=Username(username or f"user_{tag}"),
        password_hash=f"hash-{tag}",
        now=now,
        role=role,
    )


def a_profile(user: User, *, bio: str | None = None, image: str | None = None) -> Profile:
    return Profile(user_id=user.id, bio=bio, image=image)


def state_of(user: User) -> dict[str, object]:
    """Everything stored about a user: its fields but not its pending events."""
    return {
        "id": user.id,
        "email": user.email,
        "username": user.username,
        "password_hash": user.password_hash,
        "role": user.role,
        "is_active": user.is_active,
        "email_verified_at": user.email_verified_at,
        "credentials_version": user.credentials_version,
        "kept_session_id": user.kept_session_id,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def an_article(
    author_id: UserId, *, title: str = "How to train your dragon", tags: Sequence[str] = ("dragons", "training"),
    now: datetime = CREATED,
) -> Article:
    return Article.write(
        author_id=author_id, title=title, description="Ever wonder how?", body="You have to believe",
        tags=list(tags), now=now,
    )


def a_comment(
    article_id: ArticleId, author_id: UserId, *, body: str = "Thank you!", now: datetime = CREATED
) -> Comment:
    return Comment.write(article_id=article_id, author_id=author_id, body=body, now=now)


def state_of_article(article: Article) -> dict[str, object]:
    return {
        "id": article.id,
        "slug": article.slug,
        "author_id": article.author_id,
        "title": article.title,
        "description": article.description,
        "body": article.body,
        "tags": article.tags,
        "created_at": article.created_at,
        "updated_at": article.updated_at,
    }
