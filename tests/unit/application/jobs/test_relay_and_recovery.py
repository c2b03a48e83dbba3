"""RelayJobs hands committed, due jobs to the queue once; RecoverJobs finds the jobs whose delivery was lost."""

from collections.abc import Sequence
from datetime import timedelta

import pytest
from dependency_injector import providers

from application.errors import DependencyUnavailable
from application.jobs.catalog import JOB_TYPES, SendVerificationMail, tuned
from application.ports.jobs import JobQueue, JobTicket
from application.use_cases.auth.register import SignedIn
from application.use_cases.jobs.recover_jobs import RecoverJobs
from application.use_cases.jobs.relay_jobs import RelayJobs
from domain.jobs import INTERRUPTED, Job, JobStatus
from tests.builders import App, a_user, jobs_of

LEASE = timedelta(seconds=30)
REPUBLISH_AFTER = timedelta(minutes=5)


class DownQueue(JobQueue):
    """A broker that cannot be reached."""

    async def publish(self, tickets: Sequence[JobTicket]) -> None:
        raise DependencyUnavailable("broker")


def relay(app: App) -> RelayJobs:
    return app.container.relay_jobs()  # type: ignore[no-any-return]


async def recover(app: App) -> int:
    recover_jobs: RecoverJobs = app.container.recover_jobs()
    return await recover_jobs(republish_after=REPUBLISH_AFTER)


@pytest.fixture
def job(app: App, jake: SignedIn) -> Job:
    [queued] = jobs_of(app, SendVerificationMail.TYPE)
    return queued


def stored(app: App, job: Job) -> Job:
    return app.db.jobs[job.id]


async def test_a_committed_job_is_published_once(app: App, job: Job) -> None:
    assert await relay(app)() == 1
    assert [ticket.job_id for ticket in app.queue.waiting] == [job.id]
    assert stored(app, job).published_at == app.clock.now()
    assert await relay(app)() == 0
    assert app.queue.published == 1


async def test_the_relay_publishes_every_due_job_in_one_call(app: App, jake: SignedIn) -> None:
    await a_user(app, email="jane@example.com", username="jane")
    assert await relay(app)() == 2
    assert {ticket.type for ticket in app.queue.waiting} == {SendVerificationMail.TYPE}


async def test_the_relay_takes_one_batch_at_a_time(app: App, jake: SignedIn) -> None:
    await a_user(app, email="jane@example.com", username="jane")
    await a_user(app, email="joe@example.com", username="joe")
    one_at_a_time = app.container.relay_jobs(batch_size=2)
    assert [await one_at_a_time(), await one_at_a_time(), await one_at_a_time()] == [2, 1, 0]


async def test_a_retry_is_not_published_before_its_time(app: App, job: Job) -> None:
    await relay(app)()
    attempt = await app.container.job_lifecycle().begin(job.id)
    assert attempt is not None
    await app.container.job_lifecycle().fail(job.id, attempt, RuntimeError("smtp down"))
    retry_at = stored(app, job).run_after
    assert await relay(app)() == 0
    app.clock.advance(retry_at - app.clock.now())
    assert await relay(app)() == 1


async def test_an_unreachable_queue_leaves_the_jobs_unpublished_for_the_next_call(app: App, job: Job) -> None:
    with pytest.raises(DependencyUnavailable):
        await app.container.relay_jobs(queue=DownQueue())()
    assert stored(app, job).published_at is None
    assert await relay(app)() == 1
    assert [ticket.job_id for ticket in app.queue.waiting] == [job.id]


async def test_a_running_job_whose_lease_lapsed_is_retried(app: App, job: Job) -> None:
    await relay(app)()
    await app.container.job_lifecycle().begin(job.id)
    app.clock.advance(LEASE)
    assert await recover(app) == 1
    recovered = stored(app, job)
    assert recovered.status is JobStatus.RETRYING
    assert recovered.last_error == INTERRUPTED
    assert recovered.published_at is None
    assert recovered.run_after > app.clock.now()
    app.clock.advance(recovered.run_after - app.clock.now())
    await app.run_jobs()
    assert stored(app, job).status is JobStatus.SUCCEEDED
    assert len(app.mailer.sent) == 1


async def test_a_lapsed_job_on_its_last_attempt_is_dead(app: App, job: Job) -> None:
    app.container.job_types.override(providers.Object(tuned(JOB_TYPES, max_attempts=1)))
    await relay(app)()
    await app.container.job_lifecycle().begin(job.id)
    app.clock.advance(LEASE)
    assert await recover(app) == 1
    dead = stored(app, job)
    assert (dead.status, dead.last_error) == (JobStatus.DEAD, INTERRUPTED)


async def test_a_job_published_long_ago_and_never_run_is_published_again(app: App, job: Job) -> None:
    await relay(app)()
    app.queue.waiting.clear()  # the broker restarted and lost its messages
    app.clock.advance(REPUBLISH_AFTER + timedelta(seconds=1))
    assert await recover(app) == 1
    recovered = stored(app, job)
    assert recovered.published_at is None
    assert recovered.run_after == app.clock.now()
    assert recovered.status is JobStatus.QUEUED
    await app.run_jobs()
    assert stored(app, job).status is JobStatus.SUCCEEDED


async def test_fresh_jobs_are_left_alone(app: App, job: Job, jake: SignedIn) -> None:
    await a_user(app, email="jane@example.com", username="jane")
    await relay(app)()
    app.clock.advance(REPUBLISH_AFTER - timedelta(seconds=1))
    await a_user(app, email="joe@example.com", username="joe")  # committed, not yet relayed
    await app.container.job_lifecycle().begin(job.id)  # running under a live lease
    before = {job_id: (j.status, j.published_at, j.run_after, j.attempts) for job_id, j in app.db.jobs.items()}
    assert await recover(app) == 0
    after = {job_id: (j.status, j.published_at, j.run_after, j.attempts) for job_id, j in app.db.jobs.items()}
    assert after == before


async def test_finished_jobs_are_never_recovered(app: App, job: Job) -> None:
    await app.run_jobs()
    app.clock.advance(timedelta(days=2))
    assert await recover(app) == 0
    assert stored(app, job).status is JobStatus.SUCCEEDED
