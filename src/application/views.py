"""Read models returned by queries and use cases: frozen, viewer-specific, never aggregates."""

from dataclasses import dataclass

from domain.ids import UserId
from domain.users import Role


@dataclass(frozen=True, slots=True)
class AccountView:
    """The signed-in user's own account."""

    user_id: UserId
    email: str
    username: str
    bio: str | None
    image: str | None
    role: Role


@dataclass(frozen=True, slots=True)
class ProfileView:
    """A user as another user sees them."""

    username: str
    bio: str | None
    image: str | None
    following: bool
