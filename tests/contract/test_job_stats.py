"""JobQueries.stats contract, the job table as a metrics scrape sees it: every status counted (zeros
included), and when the job longest in `queued` was queued, on every storage backend."""

from datetime import timedelta

from application.jobs.catalog import SendPasswordResetMail
from application.jobs.triggers import queued
from domain.jobs import Job, JobStatus, RetryPolicy
from tests.contract.conftest import Storage
from tests.contract.records import CREATED

LEASE = timedelta(seconds=30)
POLICY = RetryPolicy(max_attempts=2)


def a_job(queued_after: timedelta) -> Job:
    return queued(SendPasswordResetMail("jake@example.com"), now=CREATED + queued_after, request_id=None)


async def test_an_empty_table_counts_zero_in_every_status(storage: Storage) -> None:
    stats = await storage.jobs.stats()
    assert stats.by_status == {status: 0 for status in JobStatus}
    assert stats.oldest_queued_at is None


async def test_jobs_are_counted_by_status_and_the_oldest_queued_is_found(storage: Storage) -> None:
    later = CREATED + timedelta(minutes=5)
    oldest_queued, newer_queued = a_job(timedelta(seconds=10)), a_job(timedelta(seconds=20))
    running, retrying, succeeded, dead = (a_job(timedelta(0)) for _ in range(4))  # queued before any other
    running.claim(now=later, lease=LEASE, policy=POLICY)
    retrying.claim(now=later, lease=LEASE, policy=POLICY)
    retrying.fail("SMTPServerDisconnected: gone", now=later, policy=POLICY, jitter=0.5)
    succeeded.claim(now=later, lease=LEASE, policy=POLICY)
    succeeded.succeed(None, now=later)
    for _ in range(POLICY.max_attempts):
        dead.claim(now=later, lease=LEASE, policy=POLICY)
        dead.fail("SMTPServerDisconnected: gone", now=later, policy=POLICY, jitter=0.5)
    assert (retrying.status, dead.status) == (JobStatus.RETRYING, JobStatus.DEAD)
    async with storage.uow() as uow:
        for job in (newer_queued, running, retrying, succeeded, dead, oldest_queued):
            await uow.jobs.add(job)
        await uow.commit()

    stats = await storage.jobs.stats()

    assert stats.by_status == {
        JobStatus.QUEUED: 2, JobStatus.RUNNING: 1, JobStatus.RETRYING: 1, JobStatus.SUCCEEDED: 1,
        JobStatus.FAILED: 0, JobStatus.DEAD: 1,
    }
    # Jobs in other statuses were queued earlier still; only those still queued count.
    assert stats.oldest_queued_at == oldest_queued.queued_at == CREATED + timedelta(seconds=10)
