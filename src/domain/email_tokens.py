"""Tokens mailed to a user to confirm an address or reset a password: single-purpose, short-lived, bound.

A verification token is bound to the address it was sent to, so changing the address kills it and
confirming it once leaves nothing to confirm. A reset token is bound to the credentials stamp, so it
dies with the first password change, the one it makes included.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidValue
from domain.ids import UserId


class EmailTokenKind(StrEnum):
    VERIFY_EMAIL = "verify-email"
    RESET_PASSWORD = "reset-password"  # noqa: S105 - a token kind


@dataclass(frozen=True, slots=True)
class EmailTokenClaims:
    """`binding` is the address (verification) or the credentials stamp (reset) the token was made for."""

    subject: UserId
    kind: EmailTokenKind
    token_id: str
    binding: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class EmailTokenPolicy:
    verify_email_ttl: timedelta = timedelta(hours=24)
    reset_password_ttl: timedelta = timedelta(hours=1)

    def __post_init__(self) -> None:
        if self.verify_email_ttl <= timedelta(0) or self.reset_password_ttl <= timedelta(0):
            raise InvalidValue("token lifetimes must be positive", field="email_tokens")

    def expiry(self, kind: EmailTokenKind, *, now: datetime) -> datetime:
        ttl = self.verify_email_ttl if kind is EmailTokenKind.VERIFY_EMAIL else self.reset_password_ttl
        return now + ttl
