"""Update the caller's account and profile: email, username, password, bio, image."""

from dataclasses import dataclass
from enum import Enum

from application.accounts import TAKEN, account_view, checked_password
from application.actor import Actor
from application.errors import InvalidToken
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.security import PasswordHasher
from application.ports.tokens import TokenStore
from application.sessions import SessionIssuer
from application.use_cases.users.shared import CurrentUser, with_renewed_token
from domain.audit import AuditAction, AuditEvent
from domain.errors import Conflict
from domain.passwords import PasswordPolicy
from domain.users import Email, Username


class Keep(Enum):
    """Marks a field the caller did not send, as opposed to one sent as null."""

    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountChanges:
    email: str | Keep = KEEP
    username: str | Keep = KEEP
    password: str | Keep = KEEP
    bio: str | Keep | None = KEEP  # None or "" clears it
    image: str | Keep | None = KEEP


class UpdateUser:
    """A new password ends every other session of the user; the caller's stays usable, and the account
    comes back with a new LASTING access token of it. Raises InvalidValue for a bad value and Conflict
    for a taken email or username."""

    def __init__(
        self, *, uow: UnitOfWork, hasher: PasswordHasher, policy: PasswordPolicy, store: TokenStore, clock: Clock,
        sessions: SessionIssuer,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._policy = policy
        self._store = store
        self._clock = clock
        self._sessions = sessions

    async def __call__(self, actor: Actor, changes: AccountChanges) -> CurrentUser:
        email = Email(changes.email) if changes.email is not KEEP else None
        username = Username(changes.username) if changes.username is not KEEP else None
        password_hash = None
        if changes.password is not KEEP:
            password_hash = await self._hasher.hash(checked_password(self._policy, changes.password))
        now = self._clock.now()
        async with self._uow as uow:
            user = await uow.users.get(actor.user_id, for_change=True)
            profile = await uow.profiles.get(actor.user_id)
            if user is None or profile is None:
                raise InvalidToken()
            if email is not None and email != user.email and await uow.users.by_email(email):
                raise Conflict(TAKEN, field="email")
            if username is not None and username.key != user.username.key and await uow.users.by_username(username):
                raise Conflict(TAKEN, field="username")
            if email is not None:
                user.change_email(email, now=now)
            if username is not None:
                user.change_username(username, now=now)
            if password_hash is not None:
                user.change_password(password_hash, now=now, keep=actor.access.session_id)
                await uow.audit.add(AuditEvent(
                    action=AuditAction.PASSWORD_CHANGED, actor_id=actor.user_id, target_id=user.id,
                    target=user.username.value,
                ))
            if changes.bio is not KEEP:
                profile.change_bio(changes.bio)
            if changes.image is not KEEP:
                profile.change_image(changes.image)
            await uow.users.save(user)
            await uow.profiles.save(profile)
            await uow.commit()
        if password_hash is not None:
            await self._store.end_all_sessions(actor.user_id, keep=actor.access.session_id)
        return with_renewed_token(self._sessions, actor, account_view(user, profile))
