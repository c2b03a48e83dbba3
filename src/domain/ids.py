"""Identifiers of the model's aggregates."""

import secrets
import uuid
from typing import NewType

UserId = NewType("UserId", uuid.UUID)
SessionId = NewType("SessionId", uuid.UUID)


def new_user_id() -> UserId:
    return UserId(uuid.uuid4())


def new_session_id() -> SessionId:
    return SessionId(uuid.uuid4())


def new_token_id() -> str:
    """A token's jti: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(16)


ArticleId = NewType("ArticleId", uuid.UUID)
CommentId = NewType("CommentId", int)  # RealWorld shows comment ids as integers; the database assigns them


def new_article_id() -> ArticleId:
    return ArticleId(uuid.uuid4())


JobId = NewType("JobId", uuid.UUID)


def new_job_id() -> JobId:
    return JobId(uuid.uuid4())
