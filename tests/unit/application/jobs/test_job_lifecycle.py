"""JobLifecycle: one delivery at a time runs a job, a lapsed lease hands it over, and only the current
attempt records an outcome. Driven through the container's JobRunner on the verification-mail job."""

from collections.abc import Sequence
from datetime import timedelta

import pytest
from dependency_injector import providers

from adapters.memory.mailer import MemoryMailer
from application.errors import DependencyUnavailable, PermanentFailure
from application.jobs.catalog import SendVerificationMail
from application.jobs.lifecycle import JobLifecycle
from application.jobs.running import JobRunner
from application.ports.mail import Mail, Mailer
from application.use_cases.auth.register import SignedIn
from domain.ids import new_job_id
from domain.jobs import INTERRUPTED, Job, JobStatus
from tests.builders import App, jobs_of

LEASE = timedelta(seconds=30)  # the `test` profile's default


class BrokenMailer(Mailer):
    """Raises `error` on its first `failures` sends, then delivers to `inner`."""

    def __init__(self, error: Exception, *, failures: int = 1_000_000) -> None:
        self.inner = MemoryMailer()
        self._error = error
        self._failures = failures

    async def send(self, mails: Sequence[Mail]) -> None:
        if self._failures > 0:
            self._failures -= 1
            raise self._error
        await self.inner.send(mails)


def lifecycle(app: App) -> JobLifecycle:
    return app.container.job_lifecycle()  # type: ignore[no-any-return]


def run_job(app: App) -> JobRunner:
    return app.container.run_job()  # type: ignore[no-any-return]


def with_mailer(app: App, mailer: Mailer) -> None:
    app.container.mail.mailer.override(providers.Object(mailer))


@pytest.fixture
def job(app: App, jake: SignedIn) -> Job:
    """Jake's verification mail, queued by his registration."""
    [queued] = jobs_of(app, SendVerificationMail.TYPE)
    return queued


def stored(app: App, job: Job) -> Job:
    return app.db.jobs[job.id]


async def test_a_delivery_runs_the_job_to_success(app: App, job: Job) -> None:
    await run_job(app)(job.id)
    assert [mail.template for mail in app.mailer.sent] == ["verify_email"]
    done = stored(app, job)
    assert (done.status, done.attempts, done.progress) == (JobStatus.SUCCEEDED, 1, 100)
    assert done.result == {"sent": True}
    assert done.lease_until is None


async def test_a_second_delivery_of_a_finished_job_does_nothing(app: App, job: Job) -> None:
    await run_job(app)(job.id)
    await run_job(app)(job.id)
    assert len(app.mailer.sent) == 1
    assert stored(app, job).attempts == 1


async def test_a_delivery_while_another_holds_a_live_lease_is_skipped(app: App, job: Job) -> None:
    assert await lifecycle(app).begin(job.id) == 1
    app.clock.advance(LEASE - timedelta(seconds=1))
    await run_job(app)(job.id)
    assert app.mailer.sent == []
    running = stored(app, job)
    assert (running.status, running.attempts) == (JobStatus.RUNNING, 1)


async def test_a_delivery_after_the_lease_lapsed_runs_the_job_again(app: App, job: Job) -> None:
    await lifecycle(app).begin(job.id)  # a worker that dies at once
    app.clock.advance(LEASE)
    await run_job(app)(job.id)
    assert len(app.mailer.sent) == 1
    done = stored(app, job)
    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 2)


async def test_a_stale_attempt_cannot_overwrite_the_outcome_of_the_current_one(app: App, job: Job) -> None:
    jobs = lifecycle(app)
    stale = await jobs.begin(job.id)
    assert stale is not None
    app.clock.advance(LEASE)
    await run_job(app)(job.id)
    assert await jobs.fail(job.id, stale, RuntimeError("late")) is None
    await jobs.succeed(job.id, stale, {"sent": "twice"})
    await jobs.report(job.id, stale, 10)
    assert not await jobs.renew(job.id, stale)
    done = stored(app, job)
    assert (done.status, done.attempts, done.progress) == (JobStatus.SUCCEEDED, 2, 100)
    assert done.result == {"sent": True}
    assert done.last_error is None


async def test_a_stale_attempt_cannot_fail_the_attempt_that_took_over(app: App, job: Job) -> None:
    jobs = lifecycle(app)
    stale = await jobs.begin(job.id)
    assert stale is not None
    app.clock.advance(LEASE)
    current = await jobs.begin(job.id)
    assert current == stale + 1
    assert await jobs.fail(job.id, stale, RuntimeError("late")) is None
    await jobs.succeed(job.id, current, {"sent": True})
    assert stored(app, job).status is JobStatus.SUCCEEDED


async def test_a_handler_error_has_the_job_retried_after_a_backoff(app: App, job: Job) -> None:
    with_mailer(app, BrokenMailer(DependencyUnavailable("smtp")))
    await run_job(app)(job.id)
    retrying = stored(app, job)
    assert retrying.status is JobStatus.RETRYING
    assert retrying.last_error == "DependencyUnavailable: smtp is unavailable"
    # The mail jobs' policy: a first backoff of 5 s, of which a random share between half and all.
    assert timedelta(seconds=2.5) <= retrying.run_after - app.clock.now() <= timedelta(seconds=5)
    assert retrying.published_at is None
    assert retrying.lease_until is None


async def test_a_retried_job_succeeds_once_its_cause_is_mended(app: App, job: Job) -> None:
    mailer = BrokenMailer(DependencyUnavailable("smtp"), failures=2)
    with_mailer(app, mailer)
    await app.run_jobs()
    for _ in range(2):
        app.clock.advance(stored(app, job).run_after - app.clock.now())
        await app.run_jobs()
    done = stored(app, job)
    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 3)
    assert [mail.to for mail in mailer.inner.sent] == ["jake@example.com"]


async def test_a_retry_is_not_run_before_its_time(app: App, job: Job) -> None:
    mailer = BrokenMailer(DependencyUnavailable("smtp"), failures=1)
    with_mailer(app, mailer)
    await app.run_jobs()
    app.clock.advance(timedelta(seconds=2))
    assert await app.run_jobs() == 0
    assert mailer.inner.sent == []


async def test_a_permanent_failure_fails_the_job_at_once(app: App, job: Job) -> None:
    with_mailer(app, BrokenMailer(PermanentFailure("550 no such mailbox")))
    await run_job(app)(job.id)
    failed = stored(app, job)
    assert (failed.status, failed.attempts) == (JobStatus.FAILED, 1)
    assert failed.last_error == "PermanentFailure: 550 no such mailbox"


async def test_an_error_without_a_message_is_named_by_its_type(app: App, job: Job) -> None:
    with_mailer(app, BrokenMailer(ConnectionResetError()))
    await run_job(app)(job.id)
    assert stored(app, job).last_error == "ConnectionResetError"


async def test_a_job_too_old_to_run_is_given_up_unrun(app: App, job: Job) -> None:
    app.clock.advance(timedelta(days=1, seconds=1))
    await run_job(app)(job.id)
    dead = stored(app, job)
    assert (dead.status, dead.attempts) == (JobStatus.DEAD, 0)
    assert app.mailer.sent == []


async def test_a_job_interrupted_on_every_attempt_is_given_up(app: App, job: Job) -> None:
    jobs = lifecycle(app)
    for _ in range(8):  # the mail jobs' attempts
        assert await jobs.begin(job.id) is not None
        app.clock.advance(LEASE)
    assert await jobs.begin(job.id) is None
    dead = stored(app, job)
    assert dead.status is JobStatus.DEAD
    assert dead.last_error == INTERRUPTED
    await run_job(app)(job.id)
    assert app.mailer.sent == []


async def test_an_unknown_job_is_not_run(app: App) -> None:
    assert await lifecycle(app).begin(new_job_id()) is None
    await run_job(app)(new_job_id())
    assert app.mailer.sent == []


async def test_the_lease_is_renewed_only_for_the_holder(app: App, job: Job) -> None:
    jobs = lifecycle(app)
    attempt = await jobs.begin(job.id)
    assert attempt is not None
    app.clock.advance(timedelta(seconds=20))
    assert await jobs.renew(job.id, attempt)
    assert stored(app, job).lease_until == app.clock.now() + LEASE
    assert not await jobs.renew(new_job_id(), attempt)
