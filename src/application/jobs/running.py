"""Running a claimed job: its handler, given a way to report progress, within its time limit and lease."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from application.jobs.catalog import JobSpec, JobType
from application.jobs.lifecycle import JobLifecycle
from application.ports.persistence import UnitOfWork
from application.tracing import current_request_id
from domain.ids import JobId

S = TypeVar("S", bound=JobSpec)


@dataclass(frozen=True, slots=True)
class RunningJob(Generic[S]):
    """What a handler knows of its job. `progress` is what an earlier, interrupted attempt reported,
    so a handler that works through a list can resume where it stopped."""

    id: JobId
    spec: S
    attempt: int
    progress: int
    report: Callable[[int], Awaitable[None]]


class JobHandler(Protocol[S]):
    async def __call__(self, job: RunningJob[S]) -> dict[str, Any] | None:
        """Do the job's work; the returned mapping is kept as its result. Raise to fail the attempt:
        PermanentFailure marks the job failed, anything else has it retried."""
        ...


class PerformJob:
    """Runs the handler of a job this delivery has claimed, renewing the lease while it works."""

    def __init__(
        self,
        *,
        new_uow: Callable[[], UnitOfWork],
        lifecycle: JobLifecycle,
        handlers: Mapping[str, JobHandler[Any]],
        types: Mapping[str, JobType],
    ) -> None:
        self._new_uow = new_uow
        self._lifecycle = lifecycle
        self._handlers = handlers
        self._types = types

    async def __call__(self, job_id: JobId, attempt: int) -> dict[str, Any] | None:
        async with self._new_uow() as uow:
            job = await uow.jobs.get(job_id)
        if job is None or not job.holds(attempt):
            raise LookupError(f"job {job_id} is not held by attempt {attempt}")
        job_type = self._types[job.type]

        async def report(progress: int) -> None:
            await self._lifecycle.report(job_id, attempt, progress)

        running = RunningJob(job_id, job_type.spec.from_payload(job.payload), attempt, job.progress, report)
        token = current_request_id.set(job.request_id)
        try:
            async with self._lease_kept(job_id, attempt):
                async with asyncio.timeout(job_type.policy.time_limit.total_seconds()):
                    return await self._handlers[job.type](running)
        finally:
            current_request_id.reset(token)

    @contextlib.asynccontextmanager
    async def _lease_kept(self, job_id: JobId, attempt: int) -> AsyncIterator[None]:
        async def keep() -> None:
            interval = self._lifecycle.lease.total_seconds() / 3
            while True:
                await asyncio.sleep(interval)
                with contextlib.suppress(Exception):  # a missed renewal is retried; the lease has slack
                    await self._lifecycle.renew(job_id, attempt)

        keeper = asyncio.create_task(keep())
        try:
            yield
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper


class JobRunner:
    """Claim, perform and record a job in one call. The Dramatiq worker does the same in three steps
    (a middleware claims and records, the actor performs); the in-memory queue uses this."""

    def __init__(self, *, lifecycle: JobLifecycle, perform: PerformJob) -> None:
        self._lifecycle = lifecycle
        self._perform = perform

    async def __call__(self, job_id: JobId) -> None:
        attempt = await self._lifecycle.begin(job_id)
        if attempt is None:
            return
        try:
            result = await self._perform(job_id, attempt)
        except Exception as error:
            await self._lifecycle.fail(job_id, attempt, error)
            return
        await self._lifecycle.succeed(job_id, attempt, result)
