"""Token ports: signing and checking tokens, and the store that keeps sessions and revocations."""

from datetime import datetime
from typing import Protocol

from domain.email_tokens import EmailTokenClaims, EmailTokenKind
from domain.ids import SessionId, UserId
from domain.sessions import Rotation, TokenClaims, TokenKind


class TokenCodec(Protocol):
    """Session tokens (access, refresh) and mailed tokens (verify, reset) are signed alike but never
    accepted for one another: each kind has its own type and audience."""

    def encode(self, claims: TokenClaims) -> str: ...

    def decode(self, token: str, *, kind: TokenKind) -> TokenClaims:
        """Check signature, algorithm, issuer, audience, expiry and kind; raise InvalidToken otherwise."""
        ...

    def encode_email_token(self, claims: EmailTokenClaims) -> str: ...

    def decode_email_token(self, token: str, *, kind: EmailTokenKind) -> EmailTokenClaims:
        """As `decode`, for the tokens mailed to users; raises InvalidToken."""
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
