"""The audit log: security and administrative events, recorded once and never changed."""

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.ids import UserId

TARGET_MAX_LENGTH = 200
CLIENT_ADDRESS_MAX_LENGTH = 64
REQUEST_ID_MAX_LENGTH = 128
DETAIL_MAX_LENGTH = 200


class AuditAction(StrEnum):
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    REFRESH_REUSED = "refresh_reused"
    LOGGED_OUT = "logged_out"
    LOGGED_OUT_EVERYWHERE = "logged_out_everywhere"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an action's name
    PASSWORD_RESET = "password_reset"  # noqa: S105 - an action's name
    ROLE_CHANGED = "role_changed"
    USER_ACTIVATED = "user_activated"
    USER_DEACTIVATED = "user_deactivated"
    SESSIONS_REVOKED = "sessions_revoked"
    ARTICLE_REMOVED = "article_removed"
    COMMENT_REMOVED = "comment_removed"


def _printable(text: str | None, max_length: int) -> str | None:
    """Text that came from a client (an e-mail as typed, a request id) kept short and without control
    characters: a log read in a terminal or a spreadsheet must show what was sent, not obey it, and
    PostgreSQL cannot store U+0000 at all."""
    if text is None:
        return None
    shown = "".join("\N{REPLACEMENT CHARACTER}" if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return shown[:max_length]


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEvent:
    """What happened, who did it, and to whom.

    `actor_id` is None for an anonymous caller (a failed log-in) or the operator at the command line.
    The target is a user's id where there is one, and a text that names it as a person reads it: a
    username, an article's slug, the e-mail address a failed log-in was tried with. `details` says
    what changed, e.g. the role before and after.
    """

    action: AuditAction
    actor_id: UserId | None
    target_id: UserId | None = None
    target: str | None = None
    details: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "target", _printable(self.target, TARGET_MAX_LENGTH))
        object.__setattr__(self, "details", {
            key: _printable(value, DETAIL_MAX_LENGTH) or "" for key, value in self.details.items()
        })


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditEntry:
    """An event as the log keeps it: when it was recorded, and from which client and request."""

    event: AuditEvent
    at: datetime
    client_address: str | None
    request_id: str | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "client_address", _printable(self.client_address, CLIENT_ADDRESS_MAX_LENGTH))
        object.__setattr__(self, "request_id", _printable(self.request_id, REQUEST_ID_MAX_LENGTH))
