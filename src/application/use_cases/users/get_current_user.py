"""The caller's own account."""

from application.actor import Actor
from application.errors import InvalidToken
from application.ports.queries import AccountQueries
from application.sessions import SessionIssuer
from application.use_cases.users.shared import CurrentUser, with_renewed_token


class GetCurrentUser:
    """Returns the account with a new LASTING access token of the caller's session."""

    def __init__(self, *, accounts: AccountQueries, sessions: SessionIssuer) -> None:
        self._accounts = accounts
        self._sessions = sessions

    async def __call__(self, actor: Actor) -> CurrentUser:
        account = await self._accounts.account(actor.user_id)
        if account is None:
            raise InvalidToken()
        return with_renewed_token(self._sessions, actor, account)
