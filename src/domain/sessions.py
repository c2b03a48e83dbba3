"""Sessions: token kinds, lifetimes and the claims a token carries.

A session is a refresh family: it starts at log-in, each refresh rotates its one
live refresh token, and it ends at log-out, on reuse of a spent token, or when its
absolute lifetime runs out however often it was refreshed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidValue
from domain.ids import SessionId, UserId


def whole_second(moment: datetime) -> datetime:
    """Token times (`iat`, `exp`) are whole seconds; anything compared with them is kept so too."""
    return moment.replace(microsecond=0)


class TokenKind(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    access_ttl: timedelta = timedelta(minutes=15)
    refresh_ttl: timedelta = timedelta(days=7)
    max_session_age: timedelta = timedelta(days=30)

    def __post_init__(self) -> None:
        if self.access_ttl <= timedelta(0) or self.refresh_ttl <= timedelta(0):
            raise InvalidValue("token lifetimes must be positive", field="session")
        if self.max_session_age < self.refresh_ttl:
            raise InvalidValue("a session must live at least as long as a refresh token", field="session")

    def session_end(self, started_at: datetime) -> datetime:
        return started_at + self.max_session_age

    def access_expiry(self, *, now: datetime, session_ends_at: datetime) -> datetime:
        return min(now + self.access_ttl, session_ends_at)

    def refresh_expiry(self, *, now: datetime, session_ends_at: datetime) -> datetime:
        """A refresh token never outlives its session."""
        return min(now + self.refresh_ttl, session_ends_at)


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a signed token says. `token_id` is the jti; `session_id` names the refresh family;
    `credentials_version` is the version of the user's credentials the session was opened from."""

    subject: UserId
    session_id: SessionId
    token_id: str
    kind: TokenKind
    issued_at: datetime
    expires_at: datetime
    session_ends_at: datetime
    credentials_version: int

    def remaining(self, now: datetime) -> timedelta:
        return max(self.expires_at - now, timedelta(0))


class Rotation(StrEnum):
    """What happened when a refresh token was presented to the token store."""

    ROTATED = "rotated"  # it was the family's live token; the new one replaces it
    REUSED = "reused"  # it was spent already: the family is now revoked
    UNKNOWN = "unknown"  # no such live family (logged out, expired, or never existed)
