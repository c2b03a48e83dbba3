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


async def new_account(
    *,
    uow: UnitOfWork,
    hasher: PasswordHasher,
    policy: PasswordPolicy,
    clock: Clock,
    email: str,
    username: str,
    password: str,
    role: Role,
) -> tuple[User, Profile]:
    """A user and their empty profile, checked but not yet stored. A taken email or username is refused
    before the password is hashed, the costly part. Raises InvalidValue or Conflict."""
    checked_email, checked_username = Email(email), Username(username)
    plain = checked_password(policy, password)
    async with uow:
        if await uow.users.by_email(checked_email):
            raise Conflict(TAKEN, field="email")
        if await uow.users.by_username(checked_username):
            raise Conflict(TAKEN, field="username")
    password_hash = await hasher.hash(plain)
    user = User.register(
        email=checked_email, username=checked_username, password_hash=password_hash, now=clock.now(), role=role
    )
    return user, Profile(user_id=user.id)


async def store_account(uow: UnitOfWork, user: User, profile: Profile) -> None:
    """Store both in one transaction, with the verification mail's job. Raises Conflict when the email
    or username was taken since `new_account` looked."""
    async with uow:
        await uow.users.add(user)
        await uow.profiles.add(profile)
        await uow.commit()


def account_view(user: User, profile: Profile) -> AccountView:
    return AccountView(
        user_id=user.id,
        email=user.email.value,
        username=user.username.value,
        bio=profile.bio,
        image=profile.image,
        role=user.role,
        email_verified=user.is_verified,
    )
