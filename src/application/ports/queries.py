"""Read-side ports: each answers one question with one query and returns views."""

from typing import Protocol

from application.views import AccountView, ProfileView
from domain.ids import UserId


class AccountQueries(Protocol):
    async def account(self, user_id: UserId) -> AccountView | None: ...

    async def profile(self, username: str, *, viewer: UserId | None) -> ProfileView | None:
        """Found whatever the letter case of `username`; `following` is False for an anonymous viewer."""
        ...
