"""Log in with email and password."""

from application.accounts import account_view
from application.audit import record_alone
from application.errors import InvalidCredentials
from application.ports.persistence import UnitOfWork
from application.ports.security import PasswordHasher
from application.rate_limits import RateLimits
from application.sessions import AccessTerm, SessionIssuer
from application.use_cases.auth.register import SignedIn
from domain.audit import AuditAction, AuditEvent
from domain.errors import InvalidValue
from domain.users import Email


class LogIn:
    """Unknown email, wrong password and inactive account all raise InvalidCredentials,
    after exactly one password verification, so neither answer nor timing tells them apart.
    `access` says how long the session's first access token lives."""

    def __init__(
        self, *, uow: UnitOfWork, hasher: PasswordHasher, sessions: SessionIssuer, limits: RateLimits
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._sessions = sessions
        self._limits = limits

    async def __call__(self, *, email: str, password: str, access: AccessTerm = AccessTerm.SHORT) -> SignedIn:
        if not email.strip():
            raise InvalidValue("can't be blank", field="email")
        if not password:
            raise InvalidValue("can't be blank", field="password")
        await self._limits.log_in(email=email)
        user = profile = None
        async with self._uow as uow:
            try:
                user = await uow.users.by_email(Email(email))
            except InvalidValue:
                user = None
            if user is not None:
                profile = await uow.profiles.get(user.id)
        matches = await self._hasher.verify(password, user.password_hash if user else None)
        if user is None or profile is None or not matches or not user.is_active:
            # The address as typed: an unknown one is what a password-guessing run tries.
            await record_alone(self._uow, AuditEvent(
                action=AuditAction.LOGIN_FAILED, actor_id=None, target_id=user.id if user else None, target=email,
            ))
            raise InvalidCredentials()
        signed_in = SignedIn(
            account=account_view(user, profile),
            tokens=await self._sessions.open(user.id, credentials_version=user.credentials_version, access=access),
        )
        await record_alone(self._uow, AuditEvent(
            action=AuditAction.LOGIN_SUCCEEDED, actor_id=user.id, target_id=user.id, target=user.username.value,
        ))
        return signed_in
