"""Register: create an account and sign it in."""

from dataclasses import dataclass

from application.accounts import account_view, new_account, store_account
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.security import PasswordHasher
from application.rate_limits import RateLimits
from application.sessions import AccessTerm, SessionIssuer, TokenPair
from application.views import AccountView
from domain.passwords import PasswordPolicy
from domain.users import Role


@dataclass(frozen=True, slots=True)
class SignedIn:
    account: AccountView
    tokens: TokenPair


class RegisterUser:
    """Always creates a plain user, whatever else the caller sent, and queues its verification mail.
    Raises InvalidValue or Conflict; DependencyUnavailable leaves nothing behind, so a retry succeeds.
    `access` says how long the session's first access token lives."""

    def __init__(
        self, *, uow: UnitOfWork, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock,
        sessions: SessionIssuer, limits: RateLimits,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._policy = policy
        self._clock = clock
        self._sessions = sessions
        self._limits = limits

    async def __call__(
        self, *, email: str, username: str, password: str, access: AccessTerm = AccessTerm.SHORT
    ) -> SignedIn:
        await self._limits.registration()
        user, profile = await new_account(
            uow=self._uow, hasher=self._hasher, policy=self._policy, clock=self._clock,
            email=email, username=username, password=password, role=Role.USER,
        )
        # The session is opened first: if the token store is down, no account (and no mail) exists yet.
        tokens = await self._sessions.open(user.id, credentials_version=user.credentials_version, access=access)
        try:
            await store_account(self._uow, user, profile)
        except BaseException:
            await self._sessions.discard(tokens)
            raise
        return SignedIn(account=account_view(user, profile), tokens=tokens)
