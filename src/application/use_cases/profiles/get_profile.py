"""A user's public profile, as the viewer sees it."""

from application.actor import Actor
from application.ports.queries import AccountQueries
from application.views import ProfileView
from domain.errors import NotFound


class GetProfile:
    def __init__(self, *, accounts: AccountQueries) -> None:
        self._accounts = accounts

    async def __call__(self, viewer: Actor | None, *, username: str) -> ProfileView:
        profile = await self._accounts.profile(username, viewer=viewer.user_id if viewer else None)
        if profile is None:
            raise NotFound("not found", field="profile")
        return profile
