"""Refresh: spend a refresh token and receive the session's next token pair."""

from application.audit import record_alone
from application.errors import InvalidToken, TokenReused
from application.ports.persistence import UnitOfWork
from application.ports.queries import PrincipalQueries
from application.ports.tokens import TokenCodec
from application.rate_limits import RateLimits
from application.sessions import SessionIssuer, TokenPair
from domain.audit import AuditAction, AuditEvent
from domain.sessions import TokenKind


class RefreshSession:
    """Raises InvalidToken for a bad, expired or ended token, and TokenReused (after ending
    the whole session) when the token was spent already."""

    def __init__(
        self, *, codec: TokenCodec, principals: PrincipalQueries, sessions: SessionIssuer, limits: RateLimits,
        uow: UnitOfWork,
    ) -> None:
        self._codec = codec
        self._principals = principals
        self._sessions = sessions
        self._limits = limits
        self._uow = uow

    async def __call__(self, *, refresh_token: str) -> TokenPair:
        claims = self._codec.decode(refresh_token, kind=TokenKind.REFRESH)
        await self._limits.refresh(claims.session_id)
        principal = await self._principals.principal(claims.subject)
        if principal is None or not principal.admits(claims):
            raise InvalidToken()
        try:
            return await self._sessions.rotate(claims)
        except TokenReused:
            # Whoever presented it may be the thief or the owner: the caller is nobody known.
            await record_alone(self._uow, AuditEvent(
                action=AuditAction.REFRESH_REUSED, actor_id=None, target_id=claims.subject,
                details={"session": str(claims.session_id)},
            ))
            raise
