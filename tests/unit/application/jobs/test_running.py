"""PerformJob and JobRunner: a handler runs with its job's request id, within its time limit, under a kept
lease; what it reports and returns is stored, and what it raises decides the retry."""

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, ClassVar, Self

import pytest
from dependency_injector import providers

from application.errors import PermanentFailure
from application.jobs.catalog import JOB_TYPES, JobType, SendVerificationMail
from application.jobs.lifecycle import JobLifecycle
from application.jobs.running import JobHandler, JobRunner, PerformJob, RunningJob
from application.jobs.triggers import queued
from application.ports.mail import Mail, Mailer
from application.tracing import current_request_id
from domain.ids import JobId, UserId
from domain.jobs import Job, JobStatus, RetryPolicy
from tests.builders import App, a_user, jobs_of

POLICY = RetryPolicy(max_attempts=3, min_backoff=timedelta(seconds=10), max_backoff=timedelta(minutes=1),
                     time_limit=timedelta(seconds=5))


@dataclass(frozen=True, slots=True)
class Probe:
    """A job type of the tests' own, whose handler each test writes."""

    TYPE: ClassVar[str] = "probe"
    note: str = ""

    @property
    def owner(self) -> UserId | None:
        return None

    def payload(self) -> dict[str, Any]:
        return {"note": self.note}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(note=str(payload["note"]))


@dataclass
class Jobs:
    lifecycle: JobLifecycle
    perform: PerformJob
    run: JobRunner


def jobs(
    app: App, handler: JobHandler[Probe], *, policy: RetryPolicy = POLICY, lease: timedelta = timedelta(seconds=30)
) -> Jobs:
    """Lifecycle, performer and runner wired as the container wires them, for the probe type only, with a
    jitter that takes the whole backoff so that retry times are exact."""
    types = {Probe.TYPE: JobType(Probe.TYPE, Probe, policy, "tests")}
    lifecycle = JobLifecycle(new_uow=app.uow, clock=app.clock, types=types, lease=lease, jitter=lambda: 1.0)
    perform = PerformJob(new_uow=app.uow, lifecycle=lifecycle, handlers={Probe.TYPE: handler}, types=types)
    return Jobs(lifecycle, perform, JobRunner(lifecycle=lifecycle, perform=perform))


async def a_probe(app: App, *, note: str = "", request_id: str | None = "req-42") -> JobId:
    job = queued(Probe(note), now=app.clock.now(), request_id=request_id)
    async with app.uow() as uow:
        await uow.jobs.add(job)
        await uow.commit()
    return job.id


def stored(app: App, job_id: JobId) -> Job:
    return app.db.jobs[job_id]


async def test_the_handler_gets_its_spec_and_attempt_and_its_result_is_kept(app: App) -> None:
    seen: list[tuple[str, int, int]] = []

    async def handler(job: RunningJob[Probe]) -> dict[str, Any]:
        seen.append((job.spec.note, job.attempt, job.progress))
        return {"echo": job.spec.note}

    job_id = await a_probe(app, note="hello")
    await jobs(app, handler).run(job_id)
    assert seen == [("hello", 1, 0)]
    done = stored(app, job_id)
    assert (done.status, done.progress, done.result) == (JobStatus.SUCCEEDED, 100, {"echo": "hello"})


async def test_progress_reported_by_the_handler_is_stored(app: App) -> None:
    job_id = await a_probe(app)
    seen: list[int] = []

    async def handler(job: RunningJob[Probe]) -> None:
        await job.report(40)
        seen.append(stored(app, job_id).progress)
        await job.report(70)
        seen.append(stored(app, job_id).progress)

    await jobs(app, handler).run(job_id)
    assert seen == [40, 70]


async def test_a_retry_starts_from_the_progress_the_failed_attempt_reported(app: App) -> None:
    starts: list[int] = []

    async def handler(job: RunningJob[Probe]) -> None:
        starts.append(job.progress)
        if job.attempt == 1:
            await job.report(60)
            raise RuntimeError("half way")

    job_id = await a_probe(app)
    runner = jobs(app, handler)
    await runner.run(job_id)
    retrying = stored(app, job_id)
    assert (retrying.status, retrying.progress) == (JobStatus.RETRYING, 60)
    app.clock.advance(timedelta(seconds=10))
    await runner.run(job_id)
    assert starts == [0, 60]
    assert stored(app, job_id).status is JobStatus.SUCCEEDED


async def test_an_error_has_the_job_retried_with_its_message(app: App) -> None:
    async def handler(job: RunningJob[Probe]) -> None:
        raise ValueError("the payload made no sense")

    job_id = await a_probe(app)
    await jobs(app, handler).run(job_id)
    retrying = stored(app, job_id)
    assert retrying.status is JobStatus.RETRYING
    assert retrying.last_error == "ValueError: the payload made no sense"
    assert retrying.run_after == app.clock.now() + timedelta(seconds=10)


async def test_a_permanent_failure_fails_the_job(app: App) -> None:
    async def handler(job: RunningJob[Probe]) -> None:
        raise PermanentFailure("the account no longer exists")

    job_id = await a_probe(app)
    await jobs(app, handler).run(job_id)
    failed = stored(app, job_id)
    assert (failed.status, failed.last_error) == (JobStatus.FAILED, "PermanentFailure: the account no longer exists")


async def test_a_handler_past_its_time_limit_is_stopped_and_retried(app: App) -> None:
    finished: list[bool] = []

    async def handler(job: RunningJob[Probe]) -> None:
        await asyncio.sleep(5)
        finished.append(True)

    job_id = await a_probe(app)
    await jobs(app, handler, policy=RetryPolicy(time_limit=timedelta(milliseconds=20))).run(job_id)
    retrying = stored(app, job_id)
    assert retrying.status is JobStatus.RETRYING
    assert retrying.last_error == "TimeoutError: the job ran past its time limit"
    assert finished == []


async def test_the_job_request_id_is_set_while_its_handler_runs(app: App) -> None:
    seen: list[str | None] = []

    async def handler(job: RunningJob[Probe]) -> None:
        seen.append(current_request_id.get())

    runner = jobs(app, handler)
    await runner.run(await a_probe(app, request_id="req-42"))
    await runner.run(await a_probe(app, request_id=None))
    assert seen == ["req-42", None]
    assert current_request_id.get() is None


async def test_the_caller_request_id_is_restored_after_the_handler(app: App) -> None:
    async def handler(job: RunningJob[Probe]) -> None:
        raise RuntimeError("boom")

    job_id = await a_probe(app, request_id="req-of-the-job")
    token = current_request_id.set("req-of-the-worker")
    try:
        await jobs(app, handler).run(job_id)
        assert current_request_id.get() == "req-of-the-worker"
    finally:
        current_request_id.reset(token)


async def test_the_lease_is_kept_while_the_handler_outlives_it(app: App) -> None:
    lease = timedelta(milliseconds=30)
    job_id = await a_probe(app)
    leases: list[bool] = []

    async def handler(job: RunningJob[Probe]) -> None:
        app.clock.advance(timedelta(minutes=1))  # long past the first lease
        await asyncio.sleep(0.1)  # the keeper renews every lease / 3
        leases.append((stored(app, job_id).lease_until or app.clock.now()) > app.clock.now())

    await jobs(app, handler, lease=lease).run(job_id)
    assert leases == [True]
    assert stored(app, job_id).status is JobStatus.SUCCEEDED


async def test_perform_refuses_an_attempt_that_does_not_hold_the_job(app: App) -> None:
    async def handler(job: RunningJob[Probe]) -> None:
        return None

    job_id = await a_probe(app)
    runner = jobs(app, handler)
    with pytest.raises(LookupError):
        await runner.perform(job_id, 1)  # never claimed
    attempt = await runner.lifecycle.begin(job_id)
    assert attempt == 1
    with pytest.raises(LookupError):
        await runner.perform(job_id, attempt + 1)


class SlowMailer(Mailer):
    async def send(self, mails: Sequence[Mail]) -> None:
        await asyncio.sleep(5)


async def test_the_container_runner_holds_a_mail_job_to_its_policy_time_limit(app: App) -> None:
    hurried = {name: replace(job_type, policy=replace(job_type.policy, time_limit=timedelta(milliseconds=20)))
               for name, job_type in JOB_TYPES.items()}
    app.container.job_types.override(providers.Object(hurried))
    app.container.mail.mailer.override(providers.Object(SlowMailer()))
    await a_user(app)
    await app.run_jobs()
    [job] = jobs_of(app, SendVerificationMail.TYPE)
    assert job.status is JobStatus.RETRYING
    assert job.last_error == "TimeoutError: the job ran past its time limit"
