"""JobRepository and JobQueries contract: jobs round-trip, keys are unique, the relay sees exactly the due and
unpublished ones, lost jobs are found, and the read side pages them by status."""

import asyncio
from datetime import timedelta

import pytest

from application.jobs.catalog import SendPasswordResetMail
from application.jobs.triggers import queued
from domain.jobs import Job, JobStatus, RetryPolicy
from domain.paging import Page
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_user

LEASE = timedelta(seconds=30)
POLICY = RetryPolicy()


def a_job(*, now: timedelta = timedelta(0), key: str | None = None, email: str = "jake@example.com") -> Job:
    return queued(SendPasswordResetMail(email), now=CREATED + now, request_id="req-1", key=key)


async def _add(storage: Storage, *jobs: Job) -> list[bool]:
    async with storage.uow() as uow:
        stored = [await uow.jobs.add(job) for job in jobs]
        await uow.commit()
    return stored


async def _get(storage: Storage, job: Job) -> Job:
    async with storage.uow() as uow:
        found = await uow.jobs.get(job.id)
    assert found is not None
    return found


async def _save(storage: Storage, job: Job) -> None:
    async with storage.uow() as uow:
        await uow.jobs.save(job)
        await uow.commit()


async def test_a_job_round_trips_whole(storage: Storage) -> None:
    owner = a_user()
    async with storage.uow() as uow:
        await uow.users.add(owner)
        await uow.commit()
    job = Job.queue(type="build_export", payload={"user_id": str(owner.id), "nested": {"n": [1, 2]}},
                    owner_id=owner.id, now=CREATED, request_id="req-9", key="export:1")
    job.claim(now=CREATED + timedelta(seconds=1), lease=LEASE, policy=POLICY)
    job.report(40, now=CREATED + timedelta(seconds=2))
    job.fail("SMTPServerDisconnected: gone", now=CREATED + timedelta(seconds=3), policy=POLICY, jitter=0.5)
    await _add(storage, job)
    found = await _get(storage, job)
    fields = Job.__slots__
    assert {name: getattr(found, name) for name in fields} == {name: getattr(job, name) for name in fields}


async def test_a_second_job_with_a_taken_key_is_not_stored(storage: Storage) -> None:
    first, second = a_job(key="notify:a:start"), a_job(key="notify:a:start")
    assert await _add(storage, first) == [True]
    assert await _add(storage, second) == [False]
    assert [job.id for job in (await storage.jobs.jobs(status=None, page=Page())).jobs] == [first.id]


async def test_jobs_without_a_key_never_collide(storage: Storage) -> None:
    assert await _add(storage, a_job(), a_job()) == [True, True]


async def test_the_relay_sees_due_unpublished_jobs_oldest_first(storage: Storage) -> None:
    older, newer, later = a_job(), a_job(now=timedelta(seconds=1)), a_job()
    later.run_after = CREATED + timedelta(minutes=5)
    await _add(storage, newer, older, later)
    async with storage.uow() as uow:
        due = await uow.jobs.unpublished(now=CREATED + timedelta(seconds=2), limit=10)
    assert [job.id for job in due] == [older.id, newer.id]
    async with storage.uow() as uow:
        assert [job.id for job in await uow.jobs.unpublished(now=CREATED + timedelta(seconds=2), limit=1)] == [older.id]


async def test_marked_jobs_are_not_seen_again(storage: Storage) -> None:
    job = a_job()
    await _add(storage, job)
    async with storage.uow() as uow:
        await uow.jobs.mark_published([job.id], now=CREATED + timedelta(seconds=1))
        await uow.commit()
    async with storage.uow() as uow:
        assert await uow.jobs.unpublished(now=CREATED + timedelta(hours=1), limit=10) == []
    assert (await _get(storage, job)).published_at == CREATED + timedelta(seconds=1)


async def test_marking_without_commit_publishes_nothing(storage: Storage) -> None:
    job = a_job()
    await _add(storage, job)
    async with storage.uow() as uow:
        await uow.jobs.mark_published([job.id], now=CREATED)
    assert (await _get(storage, job)).published_at is None


async def test_a_job_due_for_a_retry_is_unpublished_again(storage: Storage) -> None:
    job = a_job()
    job.published_at = CREATED
    job.claim(now=CREATED, lease=LEASE, policy=POLICY)
    job.fail("boom", now=CREATED, policy=POLICY, jitter=0.0)
    await _add(storage, job)
    retry_at = job.run_after
    async with storage.uow() as uow:
        assert await uow.jobs.unpublished(now=retry_at - timedelta(milliseconds=1), limit=10) == []
        assert [j.id for j in await uow.jobs.unpublished(now=retry_at, limit=10)] == [job.id]


async def test_finished_jobs_are_never_due(storage: Storage) -> None:
    done, failed = a_job(), a_job()
    for job in (done, failed):
        job.claim(now=CREATED, lease=LEASE, policy=POLICY)
    done.succeed({"sent": True}, now=CREATED)
    failed.fail("no", now=CREATED, policy=POLICY, jitter=0.0, permanent=True)
    done.published_at = failed.published_at = None
    await _add(storage, done, failed)
    async with storage.uow() as uow:
        assert await uow.jobs.unpublished(now=CREATED + timedelta(days=1), limit=10) == []


async def test_lost_jobs_are_lapsed_leases_and_long_unheard_publications(storage: Storage) -> None:
    lapsed, leased, unheard, fresh, waiting = a_job(), a_job(), a_job(), a_job(), a_job()
    for job in (lapsed, leased):
        job.published_at = CREATED
        job.claim(now=CREATED, lease=LEASE, policy=POLICY)
    leased.renew(now=CREATED + timedelta(minutes=10), lease=LEASE)
    unheard.published_at = CREATED
    fresh.published_at = CREATED + timedelta(minutes=9)
    await _add(storage, lapsed, leased, unheard, fresh, waiting)
    now = CREATED + timedelta(minutes=10)
    async with storage.uow() as uow:
        lost = await uow.jobs.lost(now=now, published_before=now - timedelta(minutes=5), limit=10)
    assert {job.id for job in lost} == {lapsed.id, unheard.id}


async def test_saving_keeps_every_change(storage: Storage) -> None:
    job = a_job()
    await _add(storage, job)
    loaded = await _get(storage, job)
    assert loaded.claim(now=CREATED, lease=LEASE, policy=POLICY).value == "started"
    loaded.succeed({"sent": True}, now=CREATED + timedelta(seconds=1))
    await _save(storage, loaded)
    again = await _get(storage, job)
    assert (again.status, again.attempts, again.progress, again.result) == (JobStatus.SUCCEEDED, 1, 100, {"sent": True})


async def test_the_read_side_pages_jobs_by_status_newest_first(storage: Storage) -> None:
    jobs = [a_job(now=timedelta(seconds=n)) for n in range(5)]
    dead = jobs[1]
    dead.claim(now=CREATED, lease=LEASE, policy=RetryPolicy(max_attempts=1))
    dead.fail("SMTP down", now=CREATED, policy=RetryPolicy(max_attempts=1), jitter=0.0)
    await _add(storage, *jobs)
    everything = await storage.jobs.jobs(status=None, page=Page(limit=2, offset=1))
    assert everything.total == 5
    assert [job.id for job in everything.jobs] == [jobs[3].id, jobs[2].id]
    dead_page = await storage.jobs.jobs(status=JobStatus.DEAD, page=Page())
    assert dead_page.total == 1
    [view] = dead_page.jobs
    assert (view.id, view.status, view.error, view.attempts) == (dead.id, JobStatus.DEAD, "SMTP down", 1)


async def test_one_job_as_the_read_side_shows_it(storage: Storage) -> None:
    job = a_job()
    await _add(storage, job)
    view = await storage.jobs.job(job.id)
    assert view is not None
    assert (view.type, view.status, view.progress, view.attempts, view.owner_id, view.created_at, view.result) == (
        SendPasswordResetMail.TYPE, JobStatus.QUEUED, 0, 0, None, CREATED, None
    )
    assert await storage.jobs.job(a_job().id) is None


@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
async def test_two_relays_never_take_the_same_job(storage: Storage) -> None:
    await _add(storage, *(a_job(now=timedelta(milliseconds=n)) for n in range(6)))
    both_read = asyncio.Barrier(2)

    async def relay() -> set[object]:
        async with storage.uow() as uow:
            due = await uow.jobs.unpublished(now=CREATED + timedelta(seconds=1), limit=3)
            await both_read.wait()
            await uow.jobs.mark_published([job.id for job in due], now=CREATED)
            await uow.commit()
        return {job.id for job in due}

    first, second = await asyncio.gather(relay(), relay())
    assert len(first) == len(second) == 3 and not first & second
