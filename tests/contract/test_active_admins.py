"""UserRepository.lock_active_admins contract: the active administrators, as the transaction sees them;
the user locked along with them counts only if they are one."""

import pytest

from domain.users import Role, Username
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_user


@pytest.mark.parametrize("along_with", ["jake", "retired", "deputy", "nobody"])
async def test_only_active_administrators_are_counted(storage: Storage, along_with: str) -> None:
    boss, deputy = a_user(role=Role.ADMIN, username="boss"), a_user(role=Role.ADMIN, username="deputy")
    retired, jake = a_user(role=Role.ADMIN, username="retired"), a_user(username="jake")
    retired.deactivate(now=CREATED)
    async with storage.uow() as uow:
        for user in (boss, deputy, retired, jake):
            await uow.users.add(user)
        await uow.commit()
    async with storage.uow() as uow:
        assert await uow.users.lock_active_admins(along_with=Username(along_with.upper())) == {boss.id, deputy.id}


async def test_a_change_made_in_the_transaction_is_seen(storage: Storage) -> None:
    boss = a_user(role=Role.ADMIN)
    async with storage.uow() as uow:
        await uow.users.add(boss)
        await uow.commit()
    async with storage.uow() as uow:
        loaded = await uow.users.get(boss.id)
        assert loaded is not None
        loaded.change_role(Role.USER, now=CREATED)
        await uow.users.save(loaded)
        assert await uow.users.lock_active_admins(along_with=loaded.username) == set()


async def test_none_at_all(storage: Storage) -> None:
    async with storage.uow() as uow:
        assert await uow.users.lock_active_admins(along_with=Username("nobody")) == set()
