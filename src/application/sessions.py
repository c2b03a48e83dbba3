"""Issuing sessions: the signed token pair that a log-in, a registration or a refresh hands out."""

import contextlib
from dataclasses import dataclass
from datetime import datetime

from application.errors import InvalidToken, TokenReused
from application.ports.clock import Clock
from application.ports.tokens import TokenCodec, TokenStore
from domain.ids import SessionId, UserId, new_session_id, new_token_id
from domain.sessions import Rotation, SessionPolicy, TokenClaims, TokenKind, whole_second


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    session_id: SessionId


class SessionIssuer:
    """Opens and rotates sessions and signs their tokens; shared by every use case that signs someone in."""

    def __init__(self, *, codec: TokenCodec, store: TokenStore, clock: Clock, policy: SessionPolicy) -> None:
        self._codec = codec
        self._store = store
        self._clock = clock
        self._policy = policy

    async def open(self, user_id: UserId, *, credentials_version: int) -> TokenPair:
        """`credentials_version` is the version of the credentials that were checked, as they were read
        before checking: if they changed since, the session is born dead (see `SessionCutoff`)."""
        now = whole_second(self._clock.now())
        session_id = new_session_id()
        ends_at = self._policy.session_end(now)
        refresh = self._claims(
            user_id, session_id, TokenKind.REFRESH, now=now, ends_at=ends_at, credentials_version=credentials_version
        )
        await self._store.open_session(
            session_id=session_id, user_id=user_id, refresh_token_id=refresh.token_id, ends_at=ends_at
        )
        return self._sign(refresh, now=now)

    async def discard(self, tokens: TokenPair) -> None:
        """End a session whose sign-in failed after it was opened. Best effort: a session left behind
        speaks for a user who was never stored, so authentication refuses it, and it expires."""
        with contextlib.suppress(Exception):
            await self._store.end_session(tokens.session_id)

    async def rotate(self, presented: TokenClaims) -> TokenPair:
        """Spend `presented` and return the session's next pair. Raises TokenReused or InvalidToken."""
        now = whole_second(self._clock.now())
        refresh = self._claims(
            presented.subject, presented.session_id, TokenKind.REFRESH, now=now, ends_at=presented.session_ends_at,
            credentials_version=presented.credentials_version,
        )
        outcome = await self._store.rotate(
            session_id=presented.session_id, presented_token_id=presented.token_id, next_token_id=refresh.token_id
        )
        if outcome is Rotation.REUSED:
            raise TokenReused()
        if outcome is Rotation.UNKNOWN:
            raise InvalidToken()
        return self._sign(refresh, now=now)

    def _sign(self, refresh: TokenClaims, *, now: datetime) -> TokenPair:
        access = self._claims(
            refresh.subject, refresh.session_id, TokenKind.ACCESS, now=now, ends_at=refresh.session_ends_at,
            credentials_version=refresh.credentials_version,
        )
        return TokenPair(
            access_token=self._codec.encode(access),
            refresh_token=self._codec.encode(refresh),
            expires_in=int((access.expires_at - now).total_seconds()),
            session_id=refresh.session_id,
        )

    def _claims(
        self, user_id: UserId, session_id: SessionId, kind: TokenKind, *, now: datetime, ends_at: datetime,
        credentials_version: int,
    ) -> TokenClaims:
        if kind is TokenKind.ACCESS:
            expires_at = self._policy.access_expiry(now=now, session_ends_at=ends_at)
        else:
            expires_at = self._policy.refresh_expiry(now=now, session_ends_at=ends_at)
        return TokenClaims(
            subject=user_id,
            session_id=session_id,
            token_id=new_token_id(),
            kind=kind,
            issued_at=now,
            expires_at=expires_at,
            session_ends_at=ends_at,
            credentials_version=credentials_version,
        )
