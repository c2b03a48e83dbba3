"""In-memory persistence: a committed state shared by units of work that stage their writes."""

import asyncio
import copy
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from application.ports.persistence import ProfileRepository, UnitOfWork, UserRepository
from domain.errors import Conflict
from domain.events import DomainEvent
from domain.ids import UserId
from domain.profiles import Profile
from domain.users import Email, User, Username

TAKEN = "has already been taken"


@dataclass
class MemoryDatabase:
    """The committed state. Units of work copy out of it and write back on commit only."""

    users: dict[UserId, User] = field(default_factory=dict)
    profiles: dict[UserId, Profile] = field(default_factory=dict)
    commit_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class _Staged:
    """The writes of one unit of work, and the aggregates it has handed out."""

    def __init__(self, db: MemoryDatabase) -> None:
        self.db = db
        self.users: dict[UserId, User] = {}
        self.profiles: dict[UserId, Profile] = {}
        self.seen: dict[UserId, User] = {}

    def user(self, user: User | None) -> User | None:
        if user is None:
            return None
        if user.id not in self.seen:
            self.seen[user.id] = copy.deepcopy(self.users.get(user.id, user))
        return self.seen[user.id]


class MemoryUserRepository(UserRepository):
    def __init__(self, staged: _Staged) -> None:
        self._staged = staged

    async def add(self, user: User) -> None:
        self._staged.users[user.id] = copy.deepcopy(user)
        self._staged.seen[user.id] = user

    async def get(self, user_id: UserId) -> User | None:
        return self._staged.user(self._staged.users.get(user_id) or self._staged.db.users.get(user_id))

    async def by_email(self, email: Email) -> User | None:
        return self._staged.user(self._find(lambda u: u.email == email))

    async def by_username(self, username: Username) -> User | None:
        return self._staged.user(self._find(lambda u: u.username.key == username.key))

    async def save(self, user: User) -> None:
        self._staged.users[user.id] = copy.deepcopy(user)
        self._staged.seen[user.id] = user

    def _find(self, match: object) -> User | None:
        visible = {**self._staged.db.users, **self._staged.users}
        return next((u for u in visible.values() if match(u)), None)  # type: ignore[operator]


class MemoryProfileRepository(ProfileRepository):
    def __init__(self, staged: _Staged) -> None:
        self._staged = staged

    async def add(self, profile: Profile) -> None:
        self._staged.profiles[profile.user_id] = copy.deepcopy(profile)

    async def get(self, user_id: UserId) -> Profile | None:
        found = self._staged.profiles.get(user_id) or self._staged.db.profiles.get(user_id)
        return copy.deepcopy(found)

    async def save(self, profile: Profile) -> None:
        self._staged.profiles[profile.user_id] = copy.deepcopy(profile)


class MemoryUnitOfWork(UnitOfWork):
    """Stages writes as deep copies; a use case that forgets `save` or `commit` loses its change."""

    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db
        self.committed_events: list[DomainEvent] = []
        self.commits = 0

    async def __aenter__(self) -> Self:
        self._staged = _Staged(self._db)
        self.users = MemoryUserRepository(self._staged)
        self.profiles = MemoryProfileRepository(self._staged)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._staged = _Staged(self._db)

    async def commit(self) -> None:
        async with self._db.commit_lock:
            self._check_unique()
            self._db.users.update(copy.deepcopy(self._staged.users))
            self._db.profiles.update(copy.deepcopy(self._staged.profiles))
        for user in self._staged.seen.values():
            self.committed_events.extend(user.events)
            user.events.clear()
        self._staged.users.clear()
        self._staged.profiles.clear()
        self.commits += 1

    def _check_unique(self) -> None:
        merged = {**self._db.users, **self._staged.users}
        for staged in self._staged.users.values():
            for other in merged.values():
                if other.id == staged.id:
                    continue
                if other.email == staged.email:
                    raise Conflict(TAKEN, field="email")
                if other.username.key == staged.username.key:
                    raise Conflict(TAKEN, field="username")
