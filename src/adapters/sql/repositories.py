"""Repositories of the account aggregates on one AsyncSession: they write at once but never commit."""

from typing import Any

from sqlalchemy import ColumnElement, Select, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.mapping import profile_from_row, profile_row, user_from_row, user_row
from adapters.sql.tables import profiles, users
from adapters.sql.writes import upsert, write
from application.ports.persistence import ProfileRepository, UserRepository
from domain.events import DomainEvent
from domain.ids import UserId
from domain.profiles import Profile
from domain.users import Email, Role, User, Username

# Users are locked FOR NO KEY UPDATE (`key_share=True`), the lock their UPDATE takes anyway, never FOR
# UPDATE: an insert that refers to a user (an article, a follow, an audit entry naming its actor) checks
# the key with KEY SHARE, which FOR UPDATE would make wait, so that two writers could deadlock (as
# migration 0004's triggers explain) where now they pass.
_IS_ACTIVE_ADMIN = (users.c.role == Role.ADMIN.value) & users.c.is_active


class SqlUserRepository(UserRepository):
    """Hands out one object per user and transaction, as the in-memory reference does. The events of
    the users it stores go to `events`, which the unit of work turns into jobs when it commits."""

    def __init__(self, session: AsyncSession, events: list[DomainEvent]) -> None:
        self._session = session
        self._events = events
        self._loaded: dict[UserId, User] = {}

    async def add(self, user: User) -> None:
        await write(self._session, insert(users).values(user_row(user)))
        self._events.extend(user.pull_events())
        self._loaded[user.id] = user

    async def get(self, user_id: UserId, *, for_change: bool = False) -> User | None:
        return await self._one(select(users).where(users.c.id == user_id), for_change=for_change)

    async def by_email(self, email: Email) -> User | None:
        return await self._one(select(users).where(users.c.email == email.value))

    async def by_username(self, username: Username, *, for_change: bool = False) -> User | None:
        return await self._one(select(users).where(_named(username)), for_change=for_change)

    async def save(self, user: User) -> None:
        await upsert(self._session, users, "id", user_row(user))
        self._events.extend(user.pull_events())
        self._loaded[user.id] = user

    async def lock_active_admins(self, *, along_with: Username) -> set[UserId]:
        # In id order, so that transactions locking them all queue rather than deadlock. A row that a
        # transaction ahead changed is checked again once it commits: a demoted admin drops out, and so
        # does a renamed `along_with`. (SQLite renders no lock clause: every writing transaction there
        # holds the database's write lock from its BEGIN.)
        statement = (
            select(users.c.id, _IS_ACTIVE_ADMIN.label("is_active_admin"))
            .where(or_(_IS_ACTIVE_ADMIN, _named(along_with))).order_by(users.c.id).with_for_update(key_share=True)
        )
        rows = (await self._session.execute(statement)).all()
        return {UserId(row.id) for row in rows if row.is_active_admin}

    async def _one(self, statement: Select[Any], *, for_change: bool = False) -> User | None:
        if for_change:
            statement = statement.with_for_update(key_share=True)
        row = (await self._session.execute(statement)).mappings().one_or_none()
        if row is None:
            return None
        found = user_from_row(row)
        return self._loaded.setdefault(found.id, found)


def _named(username: Username) -> ColumnElement[bool]:
    return func.lower(users.c.username) == username.key


class SqlProfileRepository(ProfileRepository):
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, profile: Profile) -> None:
        await write(self._session, insert(profiles).values(profile_row(profile)))

    async def get(self, user_id: UserId) -> Profile | None:
        statement = select(profiles).where(profiles.c.user_id == user_id)
        row = (await self._session.execute(statement)).mappings().one_or_none()
        return None if row is None else profile_from_row(row)

    async def save(self, profile: Profile) -> None:
        await upsert(self._session, profiles, "user_id", profile_row(profile))
