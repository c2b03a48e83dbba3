"""Jobs: work done after the transaction that asked for it, tried again until it succeeds or is given up.

A job row is both the outbox entry and the status record. It is created in the transaction that
causes it, published to the workers once that transaction has committed, and claimed by exactly one
delivery at a time: the claim takes a lease that the running delivery keeps renewing, so a job whose
worker died is recognised by its lapsed lease and run again.

    queued ──claim──▶ running ──▶ succeeded
                        │  ╰────▶ failed     (an error no retry can mend)
                        ╰──────▶ retrying ──(run_after)──▶ running …
                                   ╰──(attempts or age used up)──▶ dead
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from domain.errors import Conflict
from domain.ids import JobId, UserId, new_job_id

ERROR_MAX_LENGTH = 1000
INTERRUPTED = "interrupted: the worker stopped before the job finished"


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    DEAD = "dead"


FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.DEAD})
# Waiting to be published, or published and waiting for a worker.
PENDING = frozenset({JobStatus.QUEUED, JobStatus.RETRYING})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard a kind of job tries: attempts, backoff between them, a time limit per attempt, a maximum age."""

    max_attempts: int = 5
    min_backoff: timedelta = timedelta(seconds=5)
    max_backoff: timedelta = timedelta(minutes=10)
    time_limit: timedelta = timedelta(minutes=1)
    max_age: timedelta = timedelta(days=1)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.min_backoff <= timedelta(0) or self.max_backoff < self.min_backoff:
            raise ValueError("a retry policy needs at least one attempt and 0 < min_backoff <= max_backoff")

    def backoff(self, attempt: int, *, jitter: float) -> timedelta:
        """The wait after failed attempt number `attempt` (from 1): doubling from `min_backoff` up to
        `max_backoff`, of which a random share between half and all is taken (`jitter` in [0, 1]),
        so that jobs that failed together do not all come back together."""
        # In seconds, so that a long minimum doubled many times is capped instead of overflowing timedelta.
        doubled = self.min_backoff.total_seconds() * 2.0 ** min(max(attempt - 1, 0), 64)
        ceiling = min(self.max_backoff.total_seconds(), doubled)
        return timedelta(seconds=ceiling * (0.5 + 0.5 * min(max(jitter, 0.0), 1.0)))


class Claim(StrEnum):
    """What a delivery of a job found when it tried to claim it."""

    STARTED = "started"  # this delivery runs the job
    DONE = "done"  # the job has finished already: a duplicate delivery
    BUSY = "busy"  # another delivery holds a live lease on it
    GIVEN_UP = "given-up"  # too old, or interrupted too often: the job is dead now


@dataclass(eq=False, slots=True)
class Job:
    """`attempts` counts claims; the running delivery proves it is still the current one by its attempt
    number, so a delivery that lost its lease cannot overwrite the outcome of the one that took over."""

    id: JobId
    type: str
    payload: dict[str, Any]
    owner_id: UserId | None
    status: JobStatus
    attempts: int
    progress: int
    last_error: str | None
    result: dict[str, Any] | None
    request_id: str | None
    key: str | None  # at most one job per key: what makes a job that creates jobs safe to run twice
    created_at: datetime
    updated_at: datetime
    queued_at: datetime  # when it was queued, or queued again by an administrator: its age counts from here
    run_after: datetime
    published_at: datetime | None  # None: the relay has yet to hand it to the workers
    lease_until: datetime | None

    @classmethod
    def queue(
        cls,
        *,
        type: str,
        payload: dict[str, Any],
        owner_id: UserId | None,
        now: datetime,
        request_id: str | None = None,
        key: str | None = None,
        job_id: JobId | None = None,
    ) -> "Job":
        return cls(
            id=job_id or new_job_id(), type=type, payload=payload, owner_id=owner_id, status=JobStatus.QUEUED,
            attempts=0, progress=0, last_error=None, result=None, request_id=request_id, key=key,
            created_at=now, updated_at=now, queued_at=now, run_after=now, published_at=None, lease_until=None,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Job) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def claim(self, *, now: datetime, lease: timedelta, policy: RetryPolicy) -> Claim:
        """`run_after` is the relay's business, not the claim's: a stray second delivery of a retrying job
        may start it early, which costs a retry some backoff but never loses it to clocks that differ
        between the machine that scheduled it and the one that received it."""
        if self.status in FINISHED:
            return Claim.DONE
        if self.status is JobStatus.RUNNING and self.lease_until is not None and self.lease_until > now:
            return Claim.BUSY
        if self.status is JobStatus.RUNNING and self.attempts >= policy.max_attempts:
            self._finish(JobStatus.DEAD, now=now, error=INTERRUPTED)
            return Claim.GIVEN_UP
        if now - self.queued_at > policy.max_age:
            self._finish(JobStatus.DEAD, now=now, error=f"not run within {policy.max_age} of being queued")
            return Claim.GIVEN_UP
        self.status = JobStatus.RUNNING
        self.attempts += 1
        self.lease_until = now + lease
        self.updated_at = now
        return Claim.STARTED

    def holds(self, attempt: int) -> bool:
        """Whether the delivery that made claim number `attempt` is still the one running the job."""
        return self.status is JobStatus.RUNNING and self.attempts == attempt

    def renew(self, *, now: datetime, lease: timedelta) -> None:
        self.lease_until = now + lease
        self.updated_at = now

    def report(self, progress: int, *, now: datetime) -> None:
        self.progress = min(max(progress, 0), 100)
        self.updated_at = now

    def succeed(self, result: dict[str, Any] | None, *, now: datetime) -> None:
        self.result = result
        self.progress = 100
        self._finish(JobStatus.SUCCEEDED, now=now, error=None)

    def fail(self, error: str, *, now: datetime, policy: RetryPolicy, jitter: float, permanent: bool = False) -> None:
        """Retry after a backoff, unless the error is `permanent`, the attempts are used up, or the
        retry would come after the job's maximum age: then it has failed, or is dead."""
        if permanent:
            self._finish(JobStatus.FAILED, now=now, error=error)
            return
        retry_at = now + policy.backoff(self.attempts, jitter=jitter)
        if self.attempts >= policy.max_attempts or retry_at - self.queued_at > policy.max_age:
            self._finish(JobStatus.DEAD, now=now, error=error)
            return
        self.status = JobStatus.RETRYING
        self.last_error = _clipped(error)
        self.run_after = retry_at
        self.published_at = None
        self.lease_until = None
        self.updated_at = now

    def lapse(self, *, now: datetime, policy: RetryPolicy, jitter: float) -> None:
        """The lease ran out without an outcome: the worker died or hung. Counts as a failed attempt."""
        self.fail(INTERRUPTED, now=now, policy=policy, jitter=jitter)

    def requeue(self, *, now: datetime) -> None:
        """Give a dead or failed job a fresh start. Raises Conflict for any other job."""
        if self.status not in (JobStatus.DEAD, JobStatus.FAILED):
            raise Conflict("only a dead or failed job can be queued again", field="job")
        self.status = JobStatus.QUEUED
        self.attempts = 0
        self.progress = 0
        self.last_error = None
        self.result = None
        self.queued_at = self.run_after = self.updated_at = now
        self.published_at = None
        self.lease_until = None

    def republish(self, *, now: datetime) -> None:
        """Hand it to the workers again: its message was lost (the broker restarted, or died with it)."""
        self.published_at = None
        self.run_after = now
        self.updated_at = now

    def _finish(self, status: JobStatus, *, now: datetime, error: str | None) -> None:
        self.status = status
        self.last_error = _clipped(error) if error is not None else None
        self.lease_until = None
        self.updated_at = now


def _clipped(error: str) -> str:
    return error if len(error) <= ERROR_MAX_LENGTH else error[: ERROR_MAX_LENGTH - 1] + "…"
