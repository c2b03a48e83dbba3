"""What the administration use cases share: finding the user to act on, and ending their sessions."""

import logging

from application.errors import DependencyUnavailable
from application.ports.persistence import UnitOfWork
from application.ports.queries import ManagedUserQueries
from application.ports.tokens import TokenStore
from application.views import ManagedUser
from domain.errors import InvalidValue, NotFound
from domain.ids import UserId
from domain.users import User, Username

log = logging.getLogger("inkwell.security")


def _not_found() -> NotFound:
    return NotFound("not found", field="user")


def username_of(username: str) -> Username:
    """Raises NotFound (field `user`) for a name no user could have."""
    try:
        return Username(username)
    except InvalidValue as error:
        raise _not_found() from error


async def user_to_change(uow: UnitOfWork, username: str) -> User:
    """The user, read for change (see `UserRepository`). Raises NotFound (field `user`), also for a name
    no user could have."""
    user = await uow.users.by_username(username_of(username), for_change=True)
    if user is None:
        raise _not_found()
    return user


async def managed_user(users: ManagedUserQueries, username: str) -> ManagedUser:
    """The user as administrators see them, read back after a change; NotFound if deleted meanwhile."""
    view = await users.user(username)
    if view is None:
        raise _not_found()
    return view


async def end_sessions(store: TokenStore, user_id: UserId) -> None:
    """Drop the user's sessions from the token store. A store that is down changes nothing that matters:
    the credentials version, moved on in the committed change, already refuses every older token."""
    try:
        await store.end_all_sessions(user_id)
    except DependencyUnavailable:
        log.warning("sessions_not_dropped", extra={"user_id": str(user_id)})
