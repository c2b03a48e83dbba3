"""UnitOfWork contract: one transaction per block, rolled back unless committed; taken emails and
usernames are Conflicts; the jobs the events cause are written with the commit, and only with it."""

from datetime import timedelta

import pytest

from application.jobs.catalog import (
    FanOutNewArticle,
    SendPasswordChangedMail,
    SendPasswordResetMail,
    SendVerificationMail,
)
from domain.errors import Conflict
from domain.events import PasswordResetRequested
from domain.jobs import JobStatus
from domain.paging import Page
from domain.users import Email, Username
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_profile, a_user, an_article


async def test_leaving_without_commit_rolls_back(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user))
    async with storage.uow() as uow:
        assert await uow.users.get(user.id) is None
        assert await uow.profiles.get(user.id) is None
    assert await storage.accounts.account(user.id) is None


async def test_an_error_in_the_block_rolls_back(storage: Storage) -> None:
    user = a_user()
    with pytest.raises(RuntimeError):
        async with storage.uow() as uow:
            await uow.users.add(user)
            raise RuntimeError("boom")
    async with storage.uow() as uow:
        assert await uow.users.get(user.id) is None


async def test_a_transaction_sees_its_own_writes(storage: Storage) -> None:
    user = a_user(email="jake@example.com")
    async with storage.uow() as uow:
        await uow.users.add(user)
        found = await uow.users.by_email(Email("jake@example.com"))
        assert found is not None and found.id == user.id


async def test_committed_writes_are_seen_by_later_transactions(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user, bio="hello"))
        await uow.commit()
    account = await storage.accounts.account(user.id)
    assert account is not None and account.bio == "hello"


async def test_one_unit_of_work_runs_one_transaction_after_another(storage: Storage) -> None:
    first, second = a_user(), a_user()
    uow = storage.uow()
    async with uow:
        await uow.users.add(first)
        await uow.commit()
    async with uow:
        await uow.users.add(second)
    async with uow:
        assert await uow.users.get(first.id) is not None
        assert await uow.users.get(second.id) is None


@pytest.mark.parametrize("taken", ["jake@example.com", "JAKE@Example.COM"])
async def test_a_taken_email_is_a_conflict_whatever_its_case(storage: Storage, taken: str) -> None:
    jake = a_user(email="jake@example.com", username="jake")
    async with storage.uow() as uow:
        await uow.users.add(jake)
        await uow.commit()
    with pytest.raises(Conflict) as raised:
        async with storage.uow() as uow:
            await uow.users.add(a_user(email=taken, username="someone_else"))
            await uow.commit()
    assert (raised.value.field, raised.value.message) == ("email", "has already been taken")


@pytest.mark.parametrize("taken", ["jake", "JAKE", "Jake"])
async def test_a_taken_username_is_a_conflict_whatever_its_case(storage: Storage, taken: str) -> None:
    async with storage.uow() as uow:
        await uow.users.add(a_user(email="jake@example.com", username="jake"))
        await uow.commit()
    with pytest.raises(Conflict) as raised:
        async with storage.uow() as uow:
            await uow.users.add(a_user(email="other@example.com", username=taken))
            await uow.commit()
    assert (raised.value.field, raised.value.message) == ("username", "has already been taken")


async def test_renaming_onto_a_taken_username_is_a_conflict(storage: Storage) -> None:
    jake, jane = a_user(username="jake"), a_user(username="jane")
    async with storage.uow() as uow:
        await uow.users.add(jake)
        await uow.users.add(jane)
        await uow.commit()
    with pytest.raises(Conflict) as raised:
        async with storage.uow() as uow:
            loaded = await uow.users.get(jane.id)
            assert loaded is not None
            loaded.change_username(Username("JAKE"), now=CREATED)
            await uow.users.save(loaded)
            await uow.commit()
    assert raised.value.field == "username"
    async with storage.uow() as uow:
        unchanged = await uow.users.get(jane.id)
    assert unchanged is not None and unchanged.username.value == "jane"


async def test_a_conflict_leaves_the_committed_state_alone(storage: Storage) -> None:
    jake = a_user(email="jake@example.com", username="jake")
    async with storage.uow() as uow:
        await uow.users.add(jake)
        await uow.commit()
    intruder = a_user(email="jake@example.com", username="intruder")
    with pytest.raises(Conflict):
        async with storage.uow() as uow:
            await uow.users.add(intruder)
            await uow.profiles.add(a_profile(intruder))
            await uow.commit()
    async with storage.uow() as uow:
        assert await uow.users.get(intruder.id) is None
        kept = await uow.users.get(jake.id)
    assert kept is not None and kept.username.value == "jake"


async def test_commit_writes_the_jobs_of_added_users(storage: Storage) -> None:
    user = a_user(email="jake@example.com")
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.commit()
    page = await storage.jobs.jobs(status=None, page=Page())
    assert [(job.type, job.owner_id, job.status) for job in page.jobs] == [
        (SendVerificationMail.TYPE, user.id, JobStatus.QUEUED)
    ]
    assert user.events == []


async def test_commit_writes_the_jobs_of_saved_users_and_recorded_events(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.commit()
    async with storage.uow() as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        loaded.change_email(Email("moved@example.com"), now=CREATED + timedelta(minutes=1))
        loaded.change_password("new-hash", now=CREATED + timedelta(minutes=1), keep=None)
        await uow.users.save(loaded)
        uow.record(PasswordResetRequested("someone@example.com"))
        await uow.commit()
    types = sorted(job.type for job in (await storage.jobs.jobs(status=None, page=Page())).jobs)
    assert types == sorted([SendVerificationMail.TYPE, SendVerificationMail.TYPE, SendPasswordChangedMail.TYPE,
                            SendPasswordResetMail.TYPE])


async def test_no_job_is_written_without_commit(storage: Storage) -> None:
    async with storage.uow() as uow:
        await uow.users.add(a_user())
        uow.record(PasswordResetRequested("someone@example.com"))
    assert (await storage.jobs.jobs(status=None, page=Page())).total == 0


async def test_a_failed_commit_writes_no_job(storage: Storage) -> None:
    async with storage.uow() as uow:
        await uow.users.add(a_user(email="jake@example.com"))
        await uow.commit()
    with pytest.raises(Conflict):
        async with storage.uow() as uow:
            await uow.users.add(a_user(email="jake@example.com"))
            uow.record(PasswordResetRequested("someone@example.com"))
            await uow.commit()
    assert (await storage.jobs.jobs(status=None, page=Page())).total == 1


async def test_events_become_jobs_once(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.commit()
        await uow.commit()
    async with storage.uow() as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        await uow.users.save(loaded)
        await uow.commit()
    assert (await storage.jobs.jobs(status=None, page=Page())).total == 1


async def test_publishing_an_article_queues_its_fan_out(storage: Storage) -> None:
    author = a_user()
    article = an_article(author.id)
    async with storage.uow() as uow:
        await uow.users.add(author)
        await uow.profiles.add(a_profile(author))
        await uow.articles.add(article)
        await uow.commit()
    fan_out = [job for job in (await storage.jobs.jobs(status=None, page=Page())).jobs
               if job.type == FanOutNewArticle.TYPE]
    assert [job.owner_id for job in fan_out] == [author.id]
