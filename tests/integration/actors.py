"""Callers for use cases driven directly, without HTTP in front."""

from datetime import UTC, datetime, timedelta

from application.actor import Actor
from domain.ids import new_session_id
from domain.sessions import TokenClaims, TokenKind
from domain.users import User


def actor_of(user: User) -> Actor:
    """`user` as authentication hands them to a use case: a fresh session of their current credentials."""
    now = datetime.now(UTC)
    claims = TokenClaims(
        subject=user.id, session_id=new_session_id(), token_id="jti", kind=TokenKind.ACCESS, issued_at=now,
        expires_at=now + timedelta(minutes=15), session_ends_at=now + timedelta(days=1),
        credentials_version=user.credentials_version,
    )
    return Actor(user_id=user.id, role=user.role, access=claims)
