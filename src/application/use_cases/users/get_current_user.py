"""The caller's own account."""

from application.actor import Actor
from application.errors import InvalidToken
from application.ports.queries import AccountQueries
from application.views import AccountView


class GetCurrentUser:
    def __init__(self, *, accounts: AccountQueries) -> None:
        self._accounts = accounts

    async def __call__(self, actor: Actor) -> AccountView:
        account = await self._accounts.account(actor.user_id)
        if account is None:
            raise InvalidToken()
        return account
