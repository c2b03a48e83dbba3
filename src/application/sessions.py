"""Issuing sessions: the signed token pair that a log-in, a registration or a refresh hands out."""

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from application.errors import InvalidToken, TokenReused
from application.ports.clock import Clock
from application.ports.tokens import TokenCodec, TokenStore
from domain.errors import InvalidValue
from domain.ids import SessionId, UserId, new_session_id, new_token_id
from domain.sessions import Rotation, SessionPolicy, TokenClaims, TokenKind, whole_second


class AccessTerm(StrEnum):
    """How long an access token lives, chosen by the kind of client it is for. Either kind is bound to its
    session alike, so whatever ends the session (log-out, log-out everywhere, a password change, a
    deactivation, a reused refresh token) ends the token at once."""

    SHORT = "short"  # clients that refresh: the session policy's access lifetime
    LASTING = "lasting"  # clients that keep the first token and never refresh, as RealWorld frontends do


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    session_id: SessionId


class SessionIssuer:
    """Opens and rotates sessions and signs their tokens; shared by every use case that signs someone in.
    `lasting_access_ttl` is how long a LASTING access token lives, never past its session's end."""

    def __init__(
        self, *, codec: TokenCodec, store: TokenStore, clock: Clock, policy: SessionPolicy,
        lasting_access_ttl: timedelta = timedelta(days=7),
    ) -> None:
        if lasting_access_ttl <= timedelta(0):
            raise InvalidValue("token lifetimes must be positive", field="session")
        self._codec = codec
        self._store = store
        self._clock = clock
        self._policy = policy
        self._lasting_access_ttl = lasting_access_ttl

    async def open(
        self, user_id: UserId, *, credentials_version: int, access: AccessTerm = AccessTerm.SHORT
    ) -> TokenPair:
        """`credentials_version` is the version of the credentials that were checked, as they were read
        before checking: if they changed since, the session is born dead (see `SessionCutoff`)."""
        now = whole_second(self._clock.now())
        session_id = new_session_id()
        ends_at = self._policy.session_end(now)
        refresh = self._refresh(user_id, session_id, now=now, ends_at=ends_at, credentials_version=credentials_version)
        await self._store.open_session(
            session_id=session_id, user_id=user_id, refresh_token_id=refresh.token_id, ends_at=ends_at
        )
        return self._sign(refresh, now=now, term=access)

    def lasting_access(self, current: TokenClaims) -> str:
        """A new LASTING access token of the session `current` belongs to, which the caller has checked is
        live. It speaks for the credentials `current` speaks for, so it is refused whenever `current` is."""
        now = whole_second(self._clock.now())
        return self._codec.encode(self._access(current, now=now, term=AccessTerm.LASTING))

    async def discard(self, tokens: TokenPair) -> None:
        """End a session whose sign-in failed after it was opened. Best effort: a session left behind
        speaks for a user who was never stored, so authentication refuses it, and it expires."""
        with contextlib.suppress(Exception):
            await self._store.end_session(tokens.session_id)

    async def rotate(self, presented: TokenClaims) -> TokenPair:
        """Spend `presented` and return the session's next pair. Raises TokenReused or InvalidToken."""
        now = whole_second(self._clock.now())
        refresh = self._refresh(
            presented.subject, presented.session_id, now=now, ends_at=presented.session_ends_at,
            credentials_version=presented.credentials_version,
        )
        outcome = await self._store.rotate(
            session_id=presented.session_id, presented_token_id=presented.token_id, next_token_id=refresh.token_id
        )
        if outcome is Rotation.REUSED:
            raise TokenReused()
        if outcome is Rotation.UNKNOWN:
            raise InvalidToken()
        # Clients that refresh are the ones that asked for short access tokens.
        return self._sign(refresh, now=now, term=AccessTerm.SHORT)

    def _sign(self, refresh: TokenClaims, *, now: datetime, term: AccessTerm) -> TokenPair:
        access = self._access(refresh, now=now, term=term)
        return TokenPair(
            access_token=self._codec.encode(access),
            refresh_token=self._codec.encode(refresh),
            expires_in=int((access.expires_at - now).total_seconds()),
            session_id=refresh.session_id,
        )

    def _access(self, session: TokenClaims, *, now: datetime, term: AccessTerm) -> TokenClaims:
        """Access claims for the session that `session`, any token of it, belongs to."""
        if term is AccessTerm.LASTING:
            expires_at = min(now + self._lasting_access_ttl, session.session_ends_at)
        else:
            expires_at = self._policy.access_expiry(now=now, session_ends_at=session.session_ends_at)
        return self._claims(
            session.subject, session.session_id, TokenKind.ACCESS, now=now, expires_at=expires_at,
            ends_at=session.session_ends_at, credentials_version=session.credentials_version,
        )

    def _refresh(
        self, user_id: UserId, session_id: SessionId, *, now: datetime, ends_at: datetime, credentials_version: int
    ) -> TokenClaims:
        return self._claims(
            user_id, session_id, TokenKind.REFRESH, now=now, ends_at=ends_at, credentials_version=credentials_version,
            expires_at=self._policy.refresh_expiry(now=now, session_ends_at=ends_at),
        )

    @staticmethod
    def _claims(
        user_id: UserId, session_id: SessionId, kind: TokenKind, *, now: datetime, expires_at: datetime,
        ends_at: datetime, credentials_version: int,
    ) -> TokenClaims:
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
