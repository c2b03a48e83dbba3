"""Follow another user."""

from application.actor import Actor
from application.ports.persistence import UnitOfWork
from application.ports.queries import AccountQueries
from application.use_cases.profiles.unfollow_user import followee_id, profile_after
from application.views import ProfileView
from domain.profiles import ensure_can_follow


class FollowUser:
    """Following twice is one follow. Raises NotFound (field `profile`) or InvalidValue for oneself."""

    def __init__(self, *, uow: UnitOfWork, accounts: AccountQueries) -> None:
        self._uow = uow
        self._accounts = accounts

    async def __call__(self, actor: Actor, *, username: str) -> ProfileView:
        async with self._uow as uow:
            followee = await followee_id(uow, username)
            ensure_can_follow(actor.user_id, followee)
            await uow.follows.add(actor.user_id, followee)
            await uow.commit()
        return await profile_after(self._accounts, username, actor)
