"""Job: claimed by one delivery at a time, retried after a backoff, given up when too old or tried too often."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Conflict
from domain.ids import new_user_id
from domain.jobs import ERROR_MAX_LENGTH, INTERRUPTED, Claim, Job, JobStatus, RetryPolicy

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
LEASE = timedelta(seconds=30)
POLICY = RetryPolicy(
    max_attempts=3, min_backoff=timedelta(seconds=10), max_backoff=timedelta(seconds=80),
    time_limit=timedelta(minutes=1), max_age=timedelta(hours=1),
)


def a_job(*, at: datetime = NOW) -> Job:
    return Job.queue(type="send_verification_mail", payload={"user_id": "u"}, owner_id=new_user_id(), now=at)


def a_running_job(*, at: datetime = NOW) -> Job:
    job = a_job(at=at)
    assert job.claim(now=at, lease=LEASE, policy=POLICY) is Claim.STARTED
    return job


def a_finished_job(status: JobStatus) -> Job:
    job = a_running_job()
    if status is JobStatus.SUCCEEDED:
        job.succeed({"sent": True}, now=NOW)
    elif status is JobStatus.FAILED:
        job.fail("refused", now=NOW, policy=POLICY, jitter=1.0, permanent=True)
    else:
        job.attempts = POLICY.max_attempts
        job.fail("still broken", now=NOW, policy=POLICY, jitter=1.0)
    assert job.status is status
    return job


def test_a_new_job_is_queued_due_now_and_unpublished() -> None:
    job = a_job()
    assert (job.status, job.attempts, job.progress) == (JobStatus.QUEUED, 0, 0)
    assert job.queued_at == job.run_after == job.created_at == NOW
    assert job.published_at is None
    assert job.lease_until is None


def test_a_first_claim_starts_the_job_under_a_lease() -> None:
    job = a_job()
    assert job.claim(now=NOW, lease=LEASE, policy=POLICY) is Claim.STARTED
    assert job.status is JobStatus.RUNNING
    assert job.attempts == 1
    assert job.lease_until == NOW + LEASE


@pytest.mark.parametrize("status", [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.DEAD])
def test_a_finished_job_is_done_and_stays_as_it_is(status: JobStatus) -> None:
    job = a_finished_job(status)
    attempts, error = job.attempts, job.last_error
    assert job.claim(now=NOW + timedelta(minutes=5), lease=LEASE, policy=POLICY) is Claim.DONE
    assert (job.status, job.attempts, job.last_error) == (status, attempts, error)


def test_a_job_under_a_live_lease_is_busy() -> None:
    job = a_running_job()
    assert job.claim(now=NOW + LEASE - timedelta(seconds=1), lease=LEASE, policy=POLICY) is Claim.BUSY
    assert job.attempts == 1
    assert job.lease_until == NOW + LEASE


def test_a_job_whose_lease_lapsed_is_claimed_again() -> None:
    job = a_running_job()
    later = NOW + LEASE
    assert job.claim(now=later, lease=LEASE, policy=POLICY) is Claim.STARTED
    assert job.attempts == 2
    assert job.lease_until == later + LEASE


def test_a_job_interrupted_on_its_last_attempt_is_given_up() -> None:
    job = a_running_job()
    for attempt in range(2, POLICY.max_attempts + 1):
        assert job.claim(now=NOW + LEASE * attempt, lease=LEASE, policy=POLICY) is Claim.STARTED
        assert job.attempts == attempt
    assert job.claim(now=NOW + LEASE * 10, lease=LEASE, policy=POLICY) is Claim.GIVEN_UP
    assert job.status is JobStatus.DEAD
    assert job.last_error == INTERRUPTED
    assert job.lease_until is None


def test_a_job_not_run_within_its_maximum_age_is_given_up() -> None:
    job = a_job()
    assert job.claim(now=NOW + POLICY.max_age + timedelta(seconds=1), lease=LEASE, policy=POLICY) is Claim.GIVEN_UP
    assert job.status is JobStatus.DEAD
    assert job.attempts == 0
    assert job.last_error == "not run within 1:00:00 of being queued"


def test_a_job_exactly_at_its_maximum_age_still_runs() -> None:
    assert a_job().claim(now=NOW + POLICY.max_age, lease=LEASE, policy=POLICY) is Claim.STARTED


def test_the_age_counts_from_when_it_was_queued_again() -> None:
    job = a_finished_job(JobStatus.DEAD)
    later = NOW + POLICY.max_age * 3
    job.requeue(now=later)
    assert job.claim(now=later + timedelta(minutes=1), lease=LEASE, policy=POLICY) is Claim.STARTED


def test_only_the_delivery_of_the_latest_claim_holds_the_job() -> None:
    job = a_running_job()
    assert job.holds(1)
    job.claim(now=NOW + LEASE, lease=LEASE, policy=POLICY)
    assert not job.holds(1)
    assert job.holds(2)
    job.succeed(None, now=NOW + LEASE)
    assert not job.holds(2)


def test_a_queued_job_is_held_by_nobody() -> None:
    assert not a_job().holds(0)


def test_renewing_extends_the_lease() -> None:
    job = a_running_job()
    job.renew(now=NOW + timedelta(seconds=20), lease=LEASE)
    assert job.lease_until == NOW + timedelta(seconds=50)
    assert job.claim(now=NOW + timedelta(seconds=40), lease=LEASE, policy=POLICY) is Claim.BUSY


@pytest.mark.parametrize(("reported", "kept"), [(0, 0), (42, 42), (100, 100), (-5, 0), (250, 100)])
def test_progress_is_kept_between_0_and_100(reported: int, kept: int) -> None:
    job = a_running_job()
    job.report(reported, now=NOW)
    assert job.progress == kept


def test_success_keeps_the_result_at_full_progress() -> None:
    job = a_running_job()
    job.report(30, now=NOW)
    job.succeed({"sent": True}, now=NOW + timedelta(seconds=3))
    assert job.status is JobStatus.SUCCEEDED
    assert (job.progress, job.result) == (100, {"sent": True})
    assert job.lease_until is None
    assert job.updated_at == NOW + timedelta(seconds=3)


def test_a_failure_is_retried_after_the_backoff() -> None:
    job = a_running_job()
    job.published_at = NOW
    job.fail("smtp is unavailable", now=NOW, policy=POLICY, jitter=1.0)
    assert job.status is JobStatus.RETRYING
    assert job.last_error == "smtp is unavailable"
    assert job.run_after == NOW + POLICY.backoff(1, jitter=1.0) == NOW + timedelta(seconds=10)
    assert job.published_at is None
    assert job.lease_until is None


def test_the_backoff_grows_with_the_attempts() -> None:
    job = a_running_job()
    job.fail("down", now=NOW, policy=POLICY, jitter=1.0)
    second = job.run_after
    job.claim(now=second, lease=LEASE, policy=POLICY)
    job.fail("down", now=second, policy=POLICY, jitter=1.0)
    assert job.run_after == second + timedelta(seconds=20)


def test_a_permanent_failure_is_not_retried() -> None:
    job = a_running_job()
    job.fail("recipient refused", now=NOW, policy=POLICY, jitter=1.0, permanent=True)
    assert job.status is JobStatus.FAILED
    assert job.last_error == "recipient refused"
    assert job.lease_until is None


def test_a_failure_on_the_last_attempt_kills_the_job() -> None:
    job = a_running_job()
    for attempt in range(1, POLICY.max_attempts):
        job.fail("down", now=NOW, policy=POLICY, jitter=0.0)
        assert job.status is JobStatus.RETRYING
        job.claim(now=job.run_after, lease=LEASE, policy=POLICY)
        assert job.attempts == attempt + 1
    job.fail("still down", now=job.run_after, policy=POLICY, jitter=0.0)
    assert job.status is JobStatus.DEAD
    assert job.last_error == "still down"


def test_a_retry_that_would_come_after_the_maximum_age_kills_the_job() -> None:
    job = a_job()
    late = NOW + POLICY.max_age - timedelta(seconds=5)
    job.claim(now=late, lease=LEASE, policy=POLICY)
    job.fail("down", now=late, policy=POLICY, jitter=1.0)
    assert job.status is JobStatus.DEAD


def test_a_lapsed_lease_counts_as_a_failed_attempt() -> None:
    job = a_running_job()
    job.lapse(now=NOW + LEASE, policy=POLICY, jitter=1.0)
    assert job.status is JobStatus.RETRYING
    assert job.last_error == INTERRUPTED
    assert job.run_after == NOW + LEASE + timedelta(seconds=10)
    assert job.attempts == 1


def test_lapses_use_up_the_attempts() -> None:
    job = a_running_job()
    for _ in range(POLICY.max_attempts - 1):
        job.lapse(now=job.lease_until or NOW, policy=POLICY, jitter=0.0)
        job.claim(now=job.run_after, lease=LEASE, policy=POLICY)
    job.lapse(now=job.lease_until or NOW, policy=POLICY, jitter=0.0)
    assert job.status is JobStatus.DEAD
    assert job.last_error == INTERRUPTED


@pytest.mark.parametrize("status", [JobStatus.DEAD, JobStatus.FAILED])
def test_a_dead_or_failed_job_can_be_queued_again(status: JobStatus) -> None:
    job = a_finished_job(status)
    job.published_at = NOW
    later = NOW + timedelta(days=2)
    job.requeue(now=later)
    assert job.status is JobStatus.QUEUED
    assert (job.attempts, job.progress, job.last_error, job.result) == (0, 0, None, None)
    assert job.queued_at == job.run_after == job.updated_at == later
    assert job.published_at is None
    assert job.lease_until is None


def _retrying() -> Job:
    job = a_running_job()
    job.fail("down", now=NOW, policy=POLICY, jitter=1.0)
    return job


@pytest.mark.parametrize("job", [
    pytest.param(a_job(), id="queued"),
    pytest.param(a_running_job(), id="running"),
    pytest.param(_retrying(), id="retrying"),
    pytest.param(a_finished_job(JobStatus.SUCCEEDED), id="succeeded"),
])
def test_any_other_job_cannot_be_queued_again(job: Job) -> None:
    status, attempts = job.status, job.attempts
    with pytest.raises(Conflict) as raised:
        job.requeue(now=NOW + timedelta(hours=1))
    assert raised.value.field == "job"
    assert (job.status, job.attempts) == (status, attempts)


def test_republishing_hands_the_job_out_again_now() -> None:
    job = a_job()
    job.published_at = NOW
    later = NOW + timedelta(minutes=10)
    job.republish(now=later)
    assert job.published_at is None
    assert job.run_after == later
    assert job.status is JobStatus.QUEUED


@pytest.mark.parametrize("permanent", [False, True])
def test_a_long_error_is_clipped(permanent: bool) -> None:
    job = a_running_job()
    job.fail("x" * 5000, now=NOW, policy=POLICY, jitter=1.0, permanent=permanent)
    assert job.last_error is not None
    assert len(job.last_error) == ERROR_MAX_LENGTH
    assert job.last_error.endswith("…")


def test_an_error_of_the_maximum_length_is_kept_whole() -> None:
    job = a_running_job()
    job.fail("y" * ERROR_MAX_LENGTH, now=NOW, policy=POLICY, jitter=1.0)
    assert job.last_error == "y" * ERROR_MAX_LENGTH


def test_jobs_are_equal_by_id() -> None:
    first, second = a_job(), a_job()
    assert first != second
    twin = a_job()
    twin.id = first.id
    assert twin == first
    assert len({first, twin}) == 1


@pytest.mark.parametrize("changes", [
    {"max_attempts": 0},
    {"min_backoff": timedelta(0)},
    {"min_backoff": timedelta(minutes=5), "max_backoff": timedelta(minutes=1)},
])
def test_a_policy_that_cannot_work_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="retry policy"):
        RetryPolicy(**changes)  # type: ignore[arg-type]


# Up to an hour between tries; a longer minimum is the subject of its own test below.
durations = st.integers(min_value=1, max_value=3_600_000).map(lambda ms: timedelta(milliseconds=ms))


@st.composite
def policies(draw: st.DrawFn) -> RetryPolicy:
    low = draw(durations)
    return RetryPolicy(min_backoff=low, max_backoff=low + draw(durations))


@given(policies(), st.integers(min_value=1, max_value=10_000), st.floats(min_value=0.0, max_value=1.0))
def test_any_backoff_lies_between_half_the_minimum_and_the_maximum(
    policy: RetryPolicy, attempt: int, jitter: float
) -> None:
    delay = policy.backoff(attempt, jitter=jitter)
    assert policy.min_backoff / 2 <= delay <= policy.max_backoff


@given(policies(), st.integers(min_value=1, max_value=10_000))
def test_the_backoff_ceiling_never_decreases_with_the_attempt(policy: RetryPolicy, attempt: int) -> None:
    assert policy.backoff(attempt, jitter=1.0) <= policy.backoff(attempt + 1, jitter=1.0)


@given(policies(), st.integers(min_value=1, max_value=10_000), st.floats(allow_nan=False))
def test_a_jitter_out_of_range_is_taken_as_its_nearest_bound(
    policy: RetryPolicy, attempt: int, jitter: float
) -> None:
    bounded = min(max(jitter, 0.0), 1.0)
    assert policy.backoff(attempt, jitter=jitter) == policy.backoff(attempt, jitter=bounded)


def test_a_long_minimum_backoff_still_gives_the_maximum_on_late_attempts() -> None:
    # min_backoff * 2**32 exceeds what a timedelta can hold once min_backoff passes about 5.6 hours.
    policy = RetryPolicy(max_attempts=40, min_backoff=timedelta(hours=6), max_backoff=timedelta(days=1))
    assert policy.backoff(40, jitter=1.0) == timedelta(days=1)


def test_the_first_backoffs_double_from_the_minimum() -> None:
    assert [POLICY.backoff(attempt, jitter=1.0).total_seconds() for attempt in range(1, 6)] == [10, 20, 40, 80, 80]
    assert POLICY.backoff(1, jitter=0.0) == timedelta(seconds=5)
