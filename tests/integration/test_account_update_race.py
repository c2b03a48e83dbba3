"""A user's own account change racing an administrator's never undoes it, on PostgreSQL and SQLite.

Saving a user writes every field, so a change that read the user before an administrator's committed
would write back the `is_active` or `credentials_version` it read: a deactivated user active again, a
revocation of every session undone. The account change reads the user for change; the administrator's
change waits for it, then reads what it committed.
"""

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Self

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.memory.hasher import MemoryPasswordHasher
from adapters.sql.queries.managed_users import SqlManagedUserQueries
from adapters.sql.reader import SqlReader
from adapters.sql.repositories import SqlUserRepository
from adapters.sql.token_store import SqlTokenStore
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from adapters.tokens.jwt_codec import JwtCodec
from application.actor import Actor
from application.sessions import SessionIssuer
from application.use_cases.admin.change_user_access import ChangeUserAccess
from application.use_cases.admin.revoke_sessions import RevokeSessions
from application.use_cases.users.update_user import AccountChanges, UpdateUser
from domain.events import DomainEvent
from domain.ids import UserId, new_session_id
from domain.passwords import PasswordPolicy
from domain.profiles import Profile
from domain.sessions import SessionPolicy
from domain.users import Role, User
from tests.contract.records import a_profile, a_user
from tests.integration.actors import actor_of
from tests.integration.conftest import SessionFactory


class PausingUserRepository(SqlUserRepository):
    """Holds its transaction open after reading a user by id, until `gate` opens: the account change has
    read the user and not yet saved them."""

    def __init__(self, session: AsyncSession, events: list[DomainEvent], *, read: asyncio.Event,
                 gate: asyncio.Event) -> None:
        super().__init__(session, events)
        self._read, self._gate = read, gate

    async def get(self, user_id: UserId, *, for_change: bool = False) -> User | None:
        user = await super().get(user_id, for_change=for_change)
        self._read.set()
        await self._gate.wait()
        return user


class PausingUnitOfWork(SqlUnitOfWork):
    def __init__(self, factory: SessionFactory, *, read: asyncio.Event, gate: asyncio.Event) -> None:
        super().__init__(factory, SystemClock())
        self._read, self._gate = read, gate

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        assert self._session is not None
        self.users = PausingUserRepository(self._session, self._events, read=self._read, gate=self._gate)
        return self



@dataclass
class Site:
    factory: SessionFactory
    reader: SqlReader

    def update_user(self, uow: SqlUnitOfWork) -> UpdateUser:
        clock = SystemClock()
        store = SqlTokenStore(self.factory, clock)
        sessions = SessionIssuer(codec=JwtCodec(secret="s" * 48, issuer="inkwell", clock=clock), store=store,
                                 clock=clock, policy=SessionPolicy())
        return UpdateUser(uow=uow, hasher=MemoryPasswordHasher(), policy=PasswordPolicy(), store=store, clock=clock,
                          sessions=sessions)

    def change_access(self) -> ChangeUserAccess:
        clock = SystemClock()
        return ChangeUserAccess(uow=SqlUnitOfWork(self.factory, clock), users=SqlManagedUserQueries(self.reader),
                                store=SqlTokenStore(self.factory, clock), clock=clock)

    def revoke_sessions(self) -> RevokeSessions:
        clock = SystemClock()
        return RevokeSessions(uow=SqlUnitOfWork(self.factory, clock), store=SqlTokenStore(self.factory, clock))

    async def add(self, *users: User) -> None:
        async with SqlUnitOfWork(self.factory, SystemClock()) as uow:
            for user in users:
                await uow.users.add(user)
                await uow.profiles.add(a_profile(user))
            await uow.commit()

    async def stored(self, user: User) -> tuple[User, Profile]:
        async with SqlUnitOfWork(self.factory, SystemClock()) as uow:
            found, profile = await uow.users.get(user.id), await uow.profiles.get(user.id)
        assert found is not None and profile is not None
        return found, profile


@pytest.fixture
def site(factory: SessionFactory, reader: SqlReader) -> Site:
    return Site(factory, reader)


AdminChange = Callable[[Site, Actor, str], Coroutine[Any, Any, None]]


async def _deactivate(site: Site, admin: Actor, username: str) -> None:
    await site.change_access()(admin, username=username, active=False)


async def _revoke_sessions(site: Site, admin: Actor, username: str) -> None:
    await site.revoke_sessions()(admin, username=username)


@pytest.mark.parametrize(("admin_change", "still_active"), [(_deactivate, False), (_revoke_sessions, True)],
                         ids=["deactivate", "revoke sessions"])
async def test_an_account_update_racing_an_administrators_change_does_not_undo_it(
    site: Site, admin_change: AdminChange, still_active: bool
) -> None:
    ann = a_user(email="ann@example.com", username="ann", role=Role.ADMIN)
    jake = a_user(email="jake@example.com", username="jake")
    await site.add(ann, jake)
    read, gate = asyncio.Event(), asyncio.Event()
    uow = PausingUnitOfWork(site.factory, read=read, gate=gate)
    update = asyncio.create_task(site.update_user(uow)(actor_of(jake), AccountChanges(bio="Busy writing")))
    await read.wait()  # jake's update has read his account, active and with every session valid
    admin = asyncio.create_task(admin_change(site, actor_of(ann), "jake"))
    await asyncio.sleep(0.3)  # the administrator's change starts meanwhile; however far it gets, the outcome holds
    assert not admin.done(), "the administrator's change did not wait for the account update"
    gate.set()
    await asyncio.gather(update, admin)

    stored, profile = await site.stored(jake)
    assert profile.bio == "Busy writing"  # the account update went through too
    assert stored.is_active is still_active
    assert stored.credentials_version == jake.credentials_version + 1
    assert not stored.accepts_session_token(credentials_version=jake.credentials_version, session_id=new_session_id())
