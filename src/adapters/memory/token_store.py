"""In-memory token store: sessions and revocations in dicts, expired by the injected clock."""

from dataclasses import dataclass
from datetime import datetime

from application.ports.clock import Clock
from application.ports.tokens import TokenStore
from domain.ids import SessionId, UserId
from domain.sessions import Rotation


@dataclass
class _Session:
    user_id: UserId
    live_token_id: str
    ends_at: datetime


class MemoryTokenStore(TokenStore):
    """Each method runs without awaiting, so it is atomic on the event loop."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._sessions: dict[SessionId, _Session] = {}
        self._revoked: dict[str, datetime] = {}

    async def open_session(
        self, *, session_id: SessionId, user_id: UserId, refresh_token_id: str, ends_at: datetime
    ) -> None:
        self._sessions[session_id] = _Session(user_id, refresh_token_id, ends_at)

    async def rotate(self, *, session_id: SessionId, presented_token_id: str, next_token_id: str) -> Rotation:
        session = self._live(session_id)
        if session is None:
            return Rotation.UNKNOWN
        if session.live_token_id != presented_token_id:
            del self._sessions[session_id]
            return Rotation.REUSED
        session.live_token_id = next_token_id
        return Rotation.ROTATED

    async def end_session(self, session_id: SessionId) -> None:
        self._sessions.pop(session_id, None)

    async def end_all_sessions(self, user_id: UserId, *, keep: SessionId | None = None) -> None:
        for session_id, session in list(self._sessions.items()):
            if session.user_id == user_id and session_id != keep:
                del self._sessions[session_id]

    async def revoke_token(self, token_id: str, *, until: datetime) -> None:
        self._revoked[token_id] = max(until, self._revoked.get(token_id, until))

    async def is_usable(self, *, session_id: SessionId, token_id: str) -> bool:
        until = self._revoked.get(token_id)
        revoked = until is not None and until > self._clock.now()
        return not revoked and self._live(session_id) is not None

    def _live(self, session_id: SessionId) -> _Session | None:
        session = self._sessions.get(session_id)
        if session is not None and session.ends_at <= self._clock.now():
            del self._sessions[session_id]
            return None
        return session
