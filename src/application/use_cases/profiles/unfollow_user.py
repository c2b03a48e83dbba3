"""Stop following a user."""

from application.actor import Actor
from application.ports.persistence import UnitOfWork
from application.ports.queries import AccountQueries
from application.views import ProfileView
from domain.errors import InvalidValue, NotFound
from domain.ids import UserId
from domain.users import Username


class UnfollowUser:
    """Unfollowing someone one does not follow changes nothing. Raises NotFound (field `profile`)."""

    def __init__(self, *, uow: UnitOfWork, accounts: AccountQueries) -> None:
        self._uow = uow
        self._accounts = accounts

    async def __call__(self, actor: Actor, *, username: str) -> ProfileView:
        async with self._uow as uow:
            followee = await followee_id(uow, username)
            await uow.follows.remove(actor.user_id, followee)
            await uow.commit()
        return await profile_after(self._accounts, username, actor)


async def followee_id(uow: UnitOfWork, username: str) -> UserId:
    try:
        user = await uow.users.by_username(Username(username))
    except InvalidValue:  # a name that cannot exist names nobody
        user = None
    if user is None:
        raise NotFound("not found", field="profile")
    return user.id


async def profile_after(accounts: AccountQueries, username: str, actor: Actor) -> ProfileView:
    profile = await accounts.profile(username, viewer=actor.user_id)
    if profile is None:
        raise NotFound("not found", field="profile")
    return profile
