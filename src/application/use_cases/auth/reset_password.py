"""Set a new password with the token from a reset mail."""

import logging

from application.accounts import checked_password
from application.email_tokens import EmailTokens
from application.errors import DependencyUnavailable, InvalidEmailToken
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.security import PasswordHasher
from application.ports.tokens import TokenStore
from domain.audit import AuditAction, AuditEvent
from domain.email_tokens import EmailTokenClaims, EmailTokenKind
from domain.passwords import PasswordPolicy
from domain.users import User

log = logging.getLogger("inkwell.security")


class ResetPassword:
    """Spends the token (it is bound to the password it replaces), ends every session of the user and
    queues a "your password was changed" mail; it signs nobody in. Raises InvalidEmailToken, or
    InvalidValue (field `password`) for a password the policy refuses."""

    def __init__(
        self, *, uow: UnitOfWork, tokens: EmailTokens, hasher: PasswordHasher, policy: PasswordPolicy,
        store: TokenStore, clock: Clock,
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._hasher = hasher
        self._policy = policy
        self._store = store
        self._clock = clock

    async def __call__(self, *, token: str, password: str) -> None:
        claims = self._tokens.check(token, kind=EmailTokenKind.RESET_PASSWORD)
        plain = checked_password(self._policy, password)
        async with self._uow as uow:  # a spent or stale token is refused before the costly hash
            _still_good(await uow.users.get(claims.subject), claims)
        password_hash = await self._hasher.hash(plain)
        async with self._uow as uow:
            # A concurrent reset may have won meanwhile; this read waits for it and sees it.
            user = _still_good(await uow.users.get(claims.subject, for_change=True), claims)
            user.change_password(password_hash, now=self._clock.now(), keep=None)
            await uow.users.save(user)
            # By whoever holds the mailed token: nobody signed in.
            await uow.audit.add(AuditEvent(
                action=AuditAction.PASSWORD_RESET, actor_id=None, target_id=user.id, target=user.username.value,
            ))
            await uow.commit()
        try:
            await self._store.end_all_sessions(user.id)
        except DependencyUnavailable:
            # The user's session cut-off, committed above, already refuses every older token.
            log.warning("sessions_not_dropped", extra={"user_id": str(user.id)})


def _still_good(user: User | None, claims: EmailTokenClaims) -> User:
    if user is None or not user.is_active or user.credentials_stamp != claims.binding:
        raise InvalidEmailToken()
    return user
