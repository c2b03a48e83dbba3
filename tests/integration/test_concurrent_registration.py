"""Two registrations racing for one email or username: the database lets exactly one through."""

import asyncio

import pytest

from adapters.memory.hasher import MemoryPasswordHasher
from adapters.sql.queries import SqlAccountQueries
from adapters.sql.reader import SqlReader
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from application.accounts import account_view, new_account, store_account
from application.views import AccountView
from domain.errors import Conflict
from domain.passwords import PasswordPolicy
from domain.users import Role
from tests.contract.records import a_user
from tests.integration.conftest import SessionFactory


async def _register(factory: SessionFactory, *, email: str, username: str) -> AccountView:
    uow = SqlUnitOfWork(factory, SystemClock())
    user, profile = await new_account(
        uow=uow, hasher=MemoryPasswordHasher(), policy=PasswordPolicy(), clock=SystemClock(),
        email=email, username=username, password="correct horse battery", role=Role.USER,
    )
    await store_account(uow, user, profile)
    return account_view(user, profile)


async def _race(factory: SessionFactory, *attempts: tuple[str, str]) -> list[AccountView | BaseException]:
    return await asyncio.gather(
        *(_register(factory, email=email, username=username) for email, username in attempts),
        return_exceptions=True,
    )


def _one_won(outcomes: list[AccountView | BaseException], *, field: str) -> AccountView:
    won = [o for o in outcomes if isinstance(o, AccountView)]
    lost = [o for o in outcomes if not isinstance(o, AccountView)]
    assert len(won) == 1, outcomes
    assert len(lost) == 1 and isinstance(lost[0], Conflict), outcomes
    assert (lost[0].field, lost[0].message) == (field, "has already been taken")
    return won[0]


async def test_one_of_two_registrations_with_one_email_in_two_cases_wins(
    factory: SessionFactory, reader: SqlReader
) -> None:
    outcomes = await _race(factory, ("jake@example.com", "jake"), ("JAKE@Example.com", "jacob"))
    winner = _one_won(outcomes, field="email")
    account = await SqlAccountQueries(reader).account(winner.user_id)
    assert account is not None and account.email == "jake@example.com"


async def test_one_of_two_registrations_with_one_username_in_two_cases_wins(
    factory: SessionFactory, reader: SqlReader
) -> None:
    outcomes = await _race(factory, ("jake@example.com", "Jake"), ("other@example.com", "jAKE"))
    winner = _one_won(outcomes, field="username")
    accounts = SqlAccountQueries(reader)
    profile = await accounts.profile("JAKE", viewer=None)
    assert profile is not None and profile.username == winner.username


# SQLite serialises writing transactions, so there two of them never both look first.
@pytest.mark.parametrize("empty_database", ["postgres"], indirect=True)
async def test_when_both_pass_the_lookup_the_constraint_decides(factory: SessionFactory) -> None:
    """Both transactions look first and find nothing, then both insert: only the database can refuse."""
    both_looked = asyncio.Barrier(2)

    async def register(email: str, username: str) -> None:
        async with SqlUnitOfWork(factory, SystemClock()) as uow:
            assert await uow.users.by_username(a_user(username=username).username) is None
            await both_looked.wait()
            await uow.users.add(a_user(email=email, username=username))
            await uow.commit()

    outcomes = await asyncio.gather(
        register("jake@example.com", "Jake"), register("jacob@example.com", "JAKE"), return_exceptions=True
    )
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert outcomes.count(None) == 1 and len(conflicts) == 1, outcomes
    assert conflicts[0].field == "username"
