"""PrincipalQueries contract: what authentication reads about a user, as committed, on every backend."""

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest

from adapters.memory.clock import FixedClock
from adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from adapters.memory.queries import MemoryPrincipalQueries
from adapters.sql.queries.principals import SqlPrincipalQueries
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from application.ports.persistence import UnitOfWork
from application.ports.queries import PrincipalQueries
from domain.ids import new_session_id, new_user_id
from domain.users import Role
from tests.contract.conftest import STORAGE_BACKENDS
from tests.contract.databases import reader_on, sessions_on
from tests.contract.records import a_user

Bench = tuple[Callable[[], UnitOfWork], PrincipalQueries]


@pytest.fixture(params=STORAGE_BACKENDS)
async def bench(request: pytest.FixtureRequest) -> AsyncIterator[Bench]:
    if request.param == "memory":
        db = MemoryDatabase()
        yield (lambda: MemoryUnitOfWork(db, FixedClock())), MemoryPrincipalQueries(db)
        return
    url = str(request.getfixturevalue(f"{request.param}_database"))
    async with sessions_on(url) as factory, reader_on(url) as reader:
        yield (lambda: SqlUnitOfWork(factory, SystemClock())), SqlPrincipalQueries(reader)


async def test_a_principal_carries_role_activity_and_session_cutoff(bench: Bench) -> None:
    uow, principals = bench
    user = a_user(role=Role.ADMIN)
    async with uow() as tx:
        await tx.users.add(user)
        await tx.commit()
    principal = await principals.principal(user.id)
    assert principal is not None
    assert (principal.user_id, principal.role, principal.is_active) == (user.id, Role.ADMIN, True)
    assert principal.cutoff.admits(credentials_version=user.credentials_version, session_id=new_session_id())
    assert not principal.cutoff.admits(credentials_version=user.credentials_version - 1, session_id=new_session_id())


async def test_a_password_change_admits_only_the_kept_session_from_before(bench: Bench) -> None:
    uow, principals = bench
    user, kept = a_user(), new_session_id()
    async with uow() as tx:
        await tx.users.add(user)
        await tx.commit()
    before, later = user.credentials_version, datetime.now(UTC) + timedelta(hours=1)
    async with uow() as tx:
        stored = await tx.users.get(user.id)
        assert stored is not None
        stored.change_password("new-hash", now=later, keep=kept)
        await tx.users.save(stored)
        await tx.commit()
    principal = await principals.principal(user.id)
    assert principal is not None
    assert principal.cutoff.admits(credentials_version=before, session_id=kept)
    assert not principal.cutoff.admits(credentials_version=before, session_id=new_session_id())
    assert principal.cutoff.admits(credentials_version=before + 1, session_id=new_session_id())


async def test_a_deactivated_user_admits_nothing_and_an_unknown_one_is_none(bench: Bench) -> None:
    uow, principals = bench
    user = a_user()
    async with uow() as tx:
        await tx.users.add(user)
        await tx.commit()
    async with uow() as tx:
        stored = await tx.users.get(user.id)
        assert stored is not None
        stored.deactivate(now=datetime.now(UTC))
        await tx.users.save(stored)
        await tx.commit()
    principal = await principals.principal(user.id)
    assert principal is not None and not principal.is_active
    assert not principal.is_active
    assert await principals.principal(new_user_id()) is None
