"""Create an administrator account (from the command line, never over HTTP)."""

from application.accounts import account_view, new_account, store_account
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.security import PasswordHasher
from application.views import AccountView
from domain.passwords import PasswordPolicy
from domain.users import Role


class CreateAdmin:
    """Raises InvalidValue or Conflict like registration."""

    def __init__(self, *, uow: UnitOfWork, hasher: PasswordHasher, policy: PasswordPolicy, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._policy = policy
        self._clock = clock

    async def __call__(self, *, email: str, username: str, password: str) -> AccountView:
        user, profile = await new_account(
            uow=self._uow, hasher=self._hasher, policy=self._policy, clock=self._clock,
            email=email, username=username, password=password, role=Role.ADMIN,
        )
        await store_account(self._uow, user, profile)
        return account_view(user, profile)
