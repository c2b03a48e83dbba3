"""Explicit row ⇄ domain mapping: domain classes are never mapped by the ORM."""

from typing import Any

from sqlalchemy import RowMapping

from domain.articles import Article, Comment
from domain.ids import ArticleId, CommentId, SessionId, UserId
from domain.profiles import Profile
from domain.users import Email, Role, User, Username


def user_row(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email.value,
        "username": user.username.value,
        "password_hash": user.password_hash,
        "role": user.role.value,
        "is_active": user.is_active,
        "email_verified_at": user.email_verified_at,
        "credentials_version": user.credentials_version,
        "kept_session_id": user.kept_session_id,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def user_from_row(row: RowMapping) -> User:
    kept = row["kept_session_id"]
    return User(
        id=UserId(row["id"]),
        email=Email(row["email"]),
        username=Username(row["username"]),
        password_hash=row["password_hash"],
        role=Role(row["role"]),
        is_active=bool(row["is_active"]),
        email_verified_at=row["email_verified_at"],
        credentials_version=row["credentials_version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        kept_session_id=None if kept is None else SessionId(kept),
    )


def profile_row(profile: Profile) -> dict[str, Any]:
    return {"user_id": profile.user_id, "bio": profile.bio, "image": profile.image}


def profile_from_row(row: RowMapping) -> Profile:
    return Profile(user_id=UserId(row["user_id"]), bio=row["bio"], image=row["image"])


def article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "slug": article.slug,
        "author_id": article.author_id,
        "title": article.title,
        "description": article.description,
        "body": article.body,
        "tag_list": list(article.tags),
        "created_at": article.created_at,
        "updated_at": article.updated_at,
    }


def article_from_row(row: RowMapping) -> Article:
    return Article(
        id=ArticleId(row["id"]),
        slug=row["slug"],
        author_id=UserId(row["author_id"]),
        title=row["title"],
        description=row["description"],
        body=row["body"],
        tags=tuple(row["tag_list"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def comment_row(comment: Comment) -> dict[str, Any]:
    """Without the id, which the database assigns."""
    return {
        "article_id": comment.article_id,
        "author_id": comment.author_id,
        "body": comment.body,
        "created_at": comment.created_at,
        "updated_at": comment.updated_at,
    }


def comment_from_row(row: RowMapping) -> Comment:
    return Comment(
        id=CommentId(row["id"]),
        article_id=ArticleId(row["article_id"]),
        author_id=UserId(row["author_id"]),
        body=row["body"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
