"""The User aggregate and its value objects: Email, Username, Role."""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import Conflict, InvalidValue
from domain.events import DomainEvent, EmailChanged, PasswordChanged, UserRegistered, VerificationRequested
from domain.ids import SessionId, UserId, new_user_id

EMAIL_MAX_LENGTH = 254
# The rules as regular expressions that the published API document repeats, so that they are written once.
# Both are judged on the trimmed value, before the address is lower-cased. The length bound keeps the
# domain within its 253 characters.
# Python's white space (`str.isspace`, what `strip` removes), written out: other regex dialects, such as
# JavaScript's, read `\s` differently.
SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
EMAIL_PATTERN = rf"[^@{SPACE}\x00-\x1f\x7f]{{1,64}}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{{2,63}}"
USERNAME_PATTERN = r"[A-Za-z0-9_-]{3,64}"
_EMAIL = re.compile(EMAIL_PATTERN)
_USERNAME = re.compile(USERNAME_PATTERN)


@dataclass(frozen=True, slots=True)
class Email:
    """An e-mail address, kept in lower case so that it is unique whatever the letter case."""

    value: str

    def __post_init__(self) -> None:
        trimmed = self.value.strip()
        if not trimmed:
            raise InvalidValue("can't be blank", field="email")
        if len(trimmed) > EMAIL_MAX_LENGTH or not _EMAIL.fullmatch(trimmed):
            raise InvalidValue("is invalid", field="email")
        object.__setattr__(self, "value", trimmed.lower())


@dataclass(frozen=True, slots=True)
class Username:
    """A public handle: 3-64 ASCII letters, digits, '_' or '-'; unique whatever the letter case."""

    value: str

    def __post_init__(self) -> None:
        value = self.value.strip()
        if not value:
            raise InvalidValue("can't be blank", field="username")
        if not _USERNAME.fullmatch(value):
            raise InvalidValue("must be 3-64 letters, digits, '_' or '-'", field="username")
        object.__setattr__(self, "value", value)

    @property
    def key(self) -> str:
        """The form uniqueness is judged on."""
        return self.value.lower()


@dataclass(frozen=True, slots=True)
class SessionCutoff:
    """Which sessions the user's credentials still stand behind.

    A session is opened from the credentials as they were read when the password was checked, and
    its tokens carry that `credentials_version`. Every password change, reset, log-out-everywhere,
    deactivation and revocation by an admin moves the version on, so a session opened from older
    credentials is dead, however late it was opened: a log-in that checked the old password while a
    change was committing gets a session that never works. A cut-off by time could not promise that,
    since such a session is opened after the change. `kept` is the one session that survives a
    change: the one that made it.
    """

    credentials_version: int
    kept: SessionId | None = None

    def admits(self, *, credentials_version: int, session_id: SessionId) -> bool:
        return credentials_version == self.credentials_version or session_id == self.kept


class Role(StrEnum):
    USER = "user"
    ADMIN = "admin"


@dataclass(eq=False, slots=True)
class User:
    """An account. Compared by id; sessions opened from an older `credentials_version` are dead."""

    id: UserId
    email: Email
    username: Username
    password_hash: str
    role: Role
    is_active: bool
    email_verified_at: datetime | None
    credentials_version: int
    created_at: datetime
    updated_at: datetime
    # The one session a password change left alive: the one that made the change.
    kept_session_id: SessionId | None = None
    events: list[DomainEvent] = field(default_factory=list, repr=False)

    @classmethod
    def register(
        cls, *, email: Email, username: Username, password_hash: str, now: datetime, role: Role = Role.USER
    ) -> "User":
        user = cls(
            id=new_user_id(),
            email=email,
            username=username,
            password_hash=password_hash,
            role=role,
            is_active=True,
            email_verified_at=None,
            credentials_version=0,
            created_at=now,
            updated_at=now,
        )
        user.events.append(UserRegistered(user.id, email.value))
        return user

    def __eq__(self, other: object) -> bool:
        return isinstance(other, User) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def pull_events(self) -> list[DomainEvent]:
        """The events recorded since the last pull; they leave the aggregate with the transaction that stores it."""
        events, self.events = self.events, []
        return events

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def credentials_stamp(self) -> str:
        """Changes whenever the password does (every hash has a fresh salt): a reset token bound to it
        dies with the first password change, its own included."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:32]

    def request_verification(self) -> None:
        """Ask for another confirmation mail. Raises Conflict when the address is verified already."""
        if self.is_verified:
            raise Conflict("is already verified", field="email")
        self.events.append(VerificationRequested(self.id, self.email.value))

    def verify_email(self, *, now: datetime) -> None:
        self.email_verified_at = now
        self.updated_at = now

    def change_email(self, email: Email, *, now: datetime) -> None:
        """A new address is unverified until confirmed again."""
        if email == self.email:
            return
        self.email = email
        self.email_verified_at = None
        self.updated_at = now
        self.events.append(EmailChanged(self.id, email.value))

    def change_username(self, username: Username, *, now: datetime) -> None:
        if username == self.username:
            return
        self.username = username
        self.updated_at = now

    def change_password(self, password_hash: str, *, now: datetime, keep: SessionId | None) -> None:
        """A new password ends every session that existed before it, except `keep`: the one making the change."""
        self.password_hash = password_hash
        self.updated_at = now
        self.revoke_sessions(keep=keep)
        self.events.append(PasswordChanged(self.id))

    def revoke_sessions(self, *, keep: SessionId | None = None) -> None:
        """End every session but `keep`, including those still being opened from the current credentials."""
        self.credentials_version += 1
        self.kept_session_id = keep

    @property
    def session_cutoff(self) -> SessionCutoff:
        return SessionCutoff(self.credentials_version, self.kept_session_id)

    def accepts_session_token(self, *, credentials_version: int, session_id: SessionId) -> bool:
        """Whether a token of `session_id`, opened from `credentials_version`, may still act for this user."""
        return self.is_active and self.session_cutoff.admits(
            credentials_version=credentials_version, session_id=session_id
        )

    def change_role(self, role: Role, *, now: datetime) -> None:
        """A demotion ends every session: whatever was done in them was done as an administrator."""
        if role is self.role:
            return
        demoted = self.is_admin
        self.role = role
        self.updated_at = now
        if demoted:
            self.revoke_sessions()

    def deactivate(self, *, now: datetime) -> None:
        self.is_active = False
        self.updated_at = now
        self.revoke_sessions()

    def activate(self, *, now: datetime) -> None:
        """The account may sign in again; the sessions its deactivation ended stay ended."""
        self.is_active = True
        self.updated_at = now

    @property
    def is_active_admin(self) -> bool:
        return self.is_active and self.is_admin


LAST_ADMIN = "is the last active administrator"


def ensure_an_admin_remains(changed: User, *, active_admins_before: set[UserId]) -> None:
    """Raises Conflict (field `user`) when `changed` was one of the active administrators, is no longer,
    and was the only one: nobody could administer the site any more, nor undo the change over HTTP."""
    if changed.id in active_admins_before and not changed.is_active_admin and active_admins_before <= {changed.id}:
        raise Conflict(LAST_ADMIN, field="user")
