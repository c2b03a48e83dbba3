"""Token ports: signing and checking tokens, and the store that keeps sessions and revocations."""

from datetime import datetime
from typing import Protocol

from domain.ids import SessionId, UserId
from domain.sessions import Rotation, TokenClaims, TokenKind


class TokenCodec(Protocol):
    def encode(self, claims: TokenClaims) -> str: ...

    def decode(self, token: str, *, kind: TokenKind) -> TokenClaims:
        """Check signature, algorithm, issuer, audience, expiry and kind; raise InvalidToken otherwise."""
        ...


class TokenStore(Protocol):
    """Live sessions (an allowlist: a session the store does not know is dead) and revoked token ids.

    Every method is atomic; entries vanish by themselves after the given instant.
    """

    async def open_session(
        self, *, session_id: SessionId, user_id: UserId, refresh_token_id: str, ends_at: datetime
    ) -> None: ...

    async def rotate(self, *, session_id: SessionId, presented_token_id: str, next_token_id: str) -> Rotation:
        """Swap the session's live refresh token for the next one, if `presented_token_id` is it.

        A presented id that is not the live one ends the session (reuse). Of two concurrent
        calls with the same id, exactly one gets ROTATED.
        """
        ...

    async def end_session(self, session_id: SessionId) -> None: ...

    async def end_all_sessions(self, user_id: UserId, *, keep: SessionId | None = None) -> None: ...

    async def revoke_token(self, token_id: str, *, until: datetime) -> None: ...

    async def is_usable(self, *, session_id: SessionId, token_id: str) -> bool:
        """True when the session is live and the token has not been revoked."""
        ...
