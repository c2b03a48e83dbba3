"""The embedded token store: sessions and revoked token ids in SQL tables, so they survive a restart."""

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, exists, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import READ_ONLY
from adapters.sql.tables import revoked_tokens, sessions
from application.ports.clock import Clock
from application.ports.tokens import TokenStore
from domain.ids import SessionId, UserId
from domain.sessions import Rotation


def _revocation(dialect: str, token_id: str, until: datetime) -> postgresql.Insert | sqlite.Insert:
    """INSERT … ON CONFLICT is spelled alike on both backends but built by each dialect."""
    insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert_for(revoked_tokens).values(token_id=token_id, until=until)


class SqlTokenStore(TokenStore):
    """A row in `sessions` is a live refresh family; a missing or ended row is a dead one.
    Each method is one transaction; `rotate` relies on a conditional UPDATE for atomicity."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._session_factory = session_factory
        self._clock = clock

    async def open_session(
        self, *, session_id: SessionId, user_id: UserId, refresh_token_id: str, ends_at: datetime
    ) -> None:
        now = self._clock.now()
        async with self._session_factory() as session, session.begin():
            # The user's ended sessions are of no use to anyone: clear them while we are here.
            await session.execute(delete(sessions).where(sessions.c.user_id == user_id, sessions.c.ends_at <= now))
            await session.execute(
                insert(sessions).values(id=session_id, user_id=user_id, live_token_id=refresh_token_id, ends_at=ends_at)
            )

    async def rotate(self, *, session_id: SessionId, presented_token_id: str, next_token_id: str) -> Rotation:
        now = self._clock.now()
        async with self._session_factory() as session, session.begin():
            swap = (
                update(sessions)
                .where(
                    sessions.c.id == session_id,
                    sessions.c.live_token_id == presented_token_id,
                    sessions.c.ends_at > now,
                )
                .values(live_token_id=next_token_id)
            )
            swapped: CursorResult[Any] = await session.execute(swap)  # type: ignore[assignment]
            if swapped.rowcount == 1:
                return Rotation.ROTATED
            # Not the live token (or no live session): a spent token came back, or a concurrent
            # rotation won. Either way the family ends; an already-ended row is only purged.
            ended = delete(sessions).where(sessions.c.id == session_id).returning(sessions.c.ends_at)
            ends_at = (await session.execute(ended)).scalar_one_or_none()
        return Rotation.REUSED if ends_at is not None and ends_at > now else Rotation.UNKNOWN

    async def end_session(self, session_id: SessionId) -> None:
        async with self._session_factory() as session, session.begin():
            await session.execute(delete(sessions).where(sessions.c.id == session_id))

    async def end_all_sessions(self, user_id: UserId, *, keep: SessionId | None = None) -> None:
        statement = delete(sessions).where(sessions.c.user_id == user_id)
        if keep is not None:
            statement = statement.where(sessions.c.id != keep)
        async with self._session_factory() as session, session.begin():
            await session.execute(statement)

    async def revoke_token(self, token_id: str, *, until: datetime) -> None:
        now = self._clock.now()
        async with self._session_factory() as session, session.begin():
            upsert = _revocation(session.get_bind().dialect.name, token_id, until)
            # A token revoked twice stays revoked until the later of the two instants.
            later = case(
                (upsert.excluded.until > revoked_tokens.c.until, upsert.excluded.until), else_=revoked_tokens.c.until
            )
            await session.execute(upsert.on_conflict_do_update(index_elements=["token_id"], set_={"until": later}))
            await session.execute(delete(revoked_tokens).where(revoked_tokens.c.until <= now))

    async def is_usable(self, *, session_id: SessionId, token_id: str) -> bool:
        now = self._clock.now()
        live = exists().where(sessions.c.id == session_id, sessions.c.ends_at > now)
        revoked = exists().where(revoked_tokens.c.token_id == token_id, revoked_tokens.c.until > now)
        async with self._session_factory(execution_options=READ_ONLY) as session:
            usable = (await session.execute(select(and_(live, ~revoked)))).scalar_one()
        return bool(usable)
