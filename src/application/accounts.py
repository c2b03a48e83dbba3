"""Creating accounts and checking chosen credentials: shared by registration, admin creation and updates."""

from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.security import PasswordHasher
from application.views import AccountView
from domain.errors import Conflict, InvalidValue
from domain.passwords import PasswordPolicy
from domain.profiles import Profile
from domain.users import Email, Role, User, Username

TAKEN = "has already been taken"


def checked_password(policy: PasswordPolicy, plain: str) -> str:
    if not plain:
        raise InvalidValue("can't be blank", field="password")
    violation = policy.violation(plain)
    if violation:
        raise InvalidValue(violation, field="password")
    return plain


async def create_account(
    *,
    uow: UnitOfWork,
    hasher: PasswordHasher,
    policy: PasswordPolicy,
    clock: Clock,
    email: str,
    username: str,
    password: str,
    role: Role,
) -> AccountView:
    """Register a user and their empty profile in one transaction. Raises InvalidValue or Conflict."""
    checked_email, checked_username = Email(email), Username(username)
    password_hash = await hasher.hash(checked_password(policy, password))
    async with uow:
        if await uow.users.by_email(checked_email):
            raise Conflict(TAKEN, field="email")
        if await uow.users.by_username(checked_username):
            raise Conflict(TAKEN, field="username")
        user = User.register(
            email=checked_email, username=checked_username, password_hash=password_hash, now=clock.now(), role=role
        )
        profile = Profile(user_id=user.id)
        await uow.users.add(user)
        await uow.profiles.add(profile)
        await uow.commit()
    return account_view(user, profile)


def account_view(user: User, profile: Profile) -> AccountView:
    return AccountView(
        user_id=user.id,
        email=user.email.value,
        username=user.username.value,
        bio=profile.bio,
        image=profile.image,
        role=user.role,
    )
