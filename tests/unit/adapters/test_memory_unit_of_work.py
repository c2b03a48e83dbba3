"""MemoryUnitOfWork: staged writes, rollback unless committed, uniqueness at commit, jobs for events once."""

from datetime import UTC, datetime

import pytest

from adapters.memory.clock import FixedClock
from adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from application.jobs.catalog import SendVerificationMail
from domain.errors import Conflict
from domain.users import Email, User, Username

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CLOCK = FixedClock(NOW)


def a_user(email: str = "jake@example.com", username: str = "jake") -> User:
    return User.register(email=Email(email), username=Username(username), password_hash="h", now=NOW)


async def test_a_commit_stores_the_user_with_the_job_its_event_causes() -> None:
    db, user = MemoryDatabase(), a_user()
    uow = MemoryUnitOfWork(db, CLOCK)
    async with uow:
        await uow.users.add(user)
        await uow.commit()
    assert user.id in db.users
    [job] = db.jobs.values()
    assert (job.type, job.owner_id, job.created_at) == (SendVerificationMail.TYPE, user.id, NOW)


async def test_leaving_without_commit_rolls_back() -> None:
    db, user = MemoryDatabase(), a_user()
    async with MemoryUnitOfWork(db, CLOCK) as uow:
        await uow.users.add(user)
    assert db.users == {} and db.jobs == {}


async def test_a_change_without_save_is_lost() -> None:
    db, user = MemoryDatabase(), a_user()
    async with MemoryUnitOfWork(db, CLOCK) as uow:
        await uow.users.add(user)
        await uow.commit()
    async with MemoryUnitOfWork(db, CLOCK) as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        loaded.change_username(Username("jacob"), now=NOW)
        await uow.commit()
    assert db.users[user.id].username == Username("jake")


async def test_a_taken_email_conflicts_at_commit() -> None:
    db = MemoryDatabase()
    first, second = MemoryUnitOfWork(db, CLOCK), MemoryUnitOfWork(db, CLOCK)
    async with first, second:
        await first.users.add(a_user("jake@example.com", "jake"))
        await second.users.add(a_user("JAKE@example.com", "jacob"))
        await first.commit()
        with pytest.raises(Conflict) as raised:
            await second.commit()
    assert raised.value.field == "email"
    assert len(db.users) == 1


async def test_an_event_causes_its_job_once() -> None:
    db, user = MemoryDatabase(), a_user()
    async with MemoryUnitOfWork(db, CLOCK) as uow:
        await uow.users.add(user)
        await uow.commit()
    later = MemoryUnitOfWork(db, CLOCK)
    async with later:
        loaded = await later.users.get(user.id)
        assert loaded is not None
        await later.users.save(loaded)
        await later.commit()
    assert len(db.jobs) == 1
