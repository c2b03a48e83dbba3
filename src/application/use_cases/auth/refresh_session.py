"""Refresh: spend a refresh token and receive the session's next token pair."""

import logging

from application.errors import InvalidToken, TokenReused
from application.ports.queries import PrincipalQueries
from application.ports.tokens import TokenCodec
from application.sessions import SessionIssuer, TokenPair
from domain.sessions import TokenKind

log = logging.getLogger("inkwell.security")


class RefreshSession:
    """Raises InvalidToken for a bad, expired or ended token, and TokenReused (after ending
    the whole session) when the token was spent already."""

    def __init__(self, *, codec: TokenCodec, principals: PrincipalQueries, sessions: SessionIssuer) -> None:
        self._codec = codec
        self._principals = principals
        self._sessions = sessions

    async def __call__(self, *, refresh_token: str) -> TokenPair:
        claims = self._codec.decode(refresh_token, kind=TokenKind.REFRESH)
        principal = await self._principals.principal(claims.subject)
        if principal is None or not principal.admits(claims):
            raise InvalidToken()
        try:
            return await self._sessions.rotate(claims)
        except TokenReused:
            log.warning("refresh_reuse", extra={"user_id": str(claims.subject), "session_id": str(claims.session_id)})
            raise
