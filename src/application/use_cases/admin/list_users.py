"""List and search the users, for administrators."""

from application.actor import Caller
from application.ports.queries import ManagedUserQueries, UserFilter
from application.views import ManagedUserPage
from domain.paging import Page


class ListUsers:
    """Raises Forbidden unless the caller is an administrator."""

    def __init__(self, *, users: ManagedUserQueries) -> None:
        self._users = users

    async def __call__(self, caller: Caller, *, criteria: UserFilter, page: Page) -> ManagedUserPage:
        caller.ensure_admin()
        return await self._users.users(criteria, page)
