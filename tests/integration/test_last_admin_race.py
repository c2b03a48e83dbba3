"""Administrators demoting or deactivating one another at the same time never leave the site without an
active administrator: the second change waits for the first and sees it, on PostgreSQL and SQLite."""

import asyncio
from dataclasses import dataclass
from typing import Self

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.queries.managed_users import SqlManagedUserQueries
from adapters.sql.reader import SqlReader
from adapters.sql.repositories import SqlUserRepository
from adapters.sql.token_store import SqlTokenStore
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from application.actor import Actor
from application.ports.queries import UserFilter
from application.use_cases.admin.change_user_access import ChangeUserAccess
from domain.errors import Conflict
from domain.events import DomainEvent
from domain.ids import UserId
from domain.paging import Page
from domain.users import LAST_ADMIN, Role, Username
from tests.contract.records import a_profile, a_user
from tests.integration.actors import actor_of
from tests.integration.conftest import SessionFactory


class PausingUserRepository(SqlUserRepository):
    """Holds its transaction open, with the administrators locked, until `gate` opens."""

    def __init__(self, session: AsyncSession, events: list[DomainEvent], *, locked: asyncio.Event,
                 gate: asyncio.Event) -> None:
        super().__init__(session, events)
        self._locked, self._gate = locked, gate

    async def lock_active_admins(self, *, along_with: Username) -> set[UserId]:
        admins = await super().lock_active_admins(along_with=along_with)
        self._locked.set()
        await self._gate.wait()
        return admins


class PausingUnitOfWork(SqlUnitOfWork):
    def __init__(self, factory: SessionFactory, *, locked: asyncio.Event, gate: asyncio.Event) -> None:
        super().__init__(factory, SystemClock())
        self._locked, self._gate = locked, gate

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        assert self._session is not None
        self.users = PausingUserRepository(self._session, self._events, locked=self._locked, gate=self._gate)
        return self



@dataclass
class Site:
    factory: SessionFactory
    reader: SqlReader

    def change_access(self, uow: SqlUnitOfWork | None = None) -> ChangeUserAccess:
        clock = SystemClock()
        return ChangeUserAccess(
            uow=uow or SqlUnitOfWork(self.factory, clock), users=SqlManagedUserQueries(self.reader),
            store=SqlTokenStore(self.factory, clock), clock=clock,
        )

    async def admins(self, *names: str) -> list[Actor]:
        users = [a_user(email=f"{name}@example.com", username=name, role=Role.ADMIN) for name in names]
        async with SqlUnitOfWork(self.factory, SystemClock()) as uow:
            for user in users:
                await uow.users.add(user)
                await uow.profiles.add(a_profile(user))
            await uow.commit()
        return [actor_of(user) for user in users]

    async def active_admins(self) -> list[str]:
        page = await SqlManagedUserQueries(self.reader).users(UserFilter(role=Role.ADMIN, active=True), Page())
        return [view.username for view in page.users]


@pytest.fixture
def site(factory: SessionFactory, reader: SqlReader) -> Site:
    return Site(factory, reader)


@pytest.mark.parametrize("take_away", [{"role": Role.USER}, {"active": False}])
async def test_two_admins_taking_each_other_away_at_once_leave_one(site: Site, take_away: dict[str, object]) -> None:
    ann, bob = await site.admins("ann", "bob")
    locked, gate = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(
        site.change_access(PausingUnitOfWork(site.factory, locked=locked, gate=gate))(
            ann, username="bob", **take_away  # type: ignore[arg-type]
        )
    )
    await locked.wait()  # ann's change has counted two administrators and holds them
    second = asyncio.create_task(site.change_access()(bob, username="ann", **take_away))  # type: ignore[arg-type]
    await asyncio.sleep(0.3)  # bob's change starts counting meanwhile; however far it gets, the outcome holds
    assert not second.done(), "the second change did not wait for the first"
    gate.set()
    outcomes = await asyncio.gather(first, second, return_exceptions=True)

    assert outcomes[0].username == "bob"  # type: ignore[union-attr]
    assert isinstance(outcomes[1], Conflict) and outcomes[1].message == LAST_ADMIN
    assert await site.active_admins() == ["ann"]


async def test_many_admins_each_taking_away_the_next_leave_at_least_one(site: Site) -> None:
    names = [f"admin{n}" for n in range(6)]
    actors = await site.admins(*names)
    changes = [
        site.change_access()(actor, username=names[(n + 1) % len(names)], role=Role.USER)
        for n, actor in enumerate(actors)
    ]
    outcomes = await asyncio.gather(*changes, return_exceptions=True)

    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert all(isinstance(outcome, Conflict) for outcome in refused), refused
    remaining = await site.active_admins()
    assert len(remaining) == len(refused) == 1
