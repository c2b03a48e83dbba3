"""Repositories of the account aggregates on one AsyncSession: they write at once but never commit."""

from sqlalchemy import Executable, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.mapping import profile_from_row, profile_row, user_from_row, user_row
from adapters.sql.tables import profiles, users
from adapters.sql.writes import upsert, write
from application.ports.persistence import ProfileRepository, UserRepository
from domain.events import DomainEvent
from domain.ids import UserId
from domain.profiles import Profile
from domain.users import Email, User, Username


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

    async def get(self, user_id: UserId) -> User | None:
        return await self._one(select(users).where(users.c.id == user_id))

    async def by_email(self, email: Email) -> User | None:
        return await self._one(select(users).where(users.c.email == email.value))

    async def by_username(self, username: Username) -> User | None:
        return await self._one(select(users).where(func.lower(users.c.username) == username.key))

    async def save(self, user: User) -> None:
        await upsert(self._session, users, "id", user_row(user))
        self._events.extend(user.pull_events())
        self._loaded[user.id] = user

    async def _one(self, statement: Executable) -> User | None:
        row = (await self._session.execute(statement)).mappings().one_or_none()
        if row is None:
            return None
        found = user_from_row(row)
        return self._loaded.setdefault(found.id, found)


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
