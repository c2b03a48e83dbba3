"""Authenticate: turn an access token into the Actor it speaks for."""

from application.actor import Actor
from application.errors import InvalidToken
from application.ports.queries import PrincipalQueries
from application.ports.tokens import TokenCodec, TokenStore
from domain.sessions import TokenKind


class Authenticate:
    """Raises InvalidToken unless the token is genuine, of the access kind, unexpired, its session
    live, itself unrevoked, and its user active with the credentials the session was opened from.
    Role, active flag and credentials version are read fresh on every call."""

    def __init__(self, *, codec: TokenCodec, store: TokenStore, principals: PrincipalQueries) -> None:
        self._codec = codec
        self._store = store
        self._principals = principals

    async def __call__(self, token: str) -> Actor:
        claims = self._codec.decode(token, kind=TokenKind.ACCESS)
        if not await self._store.is_usable(session_id=claims.session_id, token_id=claims.token_id):
            raise InvalidToken()
        principal = await self._principals.principal(claims.subject)
        if principal is None or not principal.admits(claims):
            raise InvalidToken()
        return Actor(user_id=principal.user_id, role=principal.role, access=claims)
