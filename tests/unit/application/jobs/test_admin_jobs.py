"""ListJobs and RequeueJob: administrators find the dead jobs and, once the cause is mended, run them again."""

from collections.abc import Sequence
from datetime import timedelta

import pytest
from dependency_injector import providers

from adapters.memory.mailer import MemoryMailer
from application.actor import Actor
from application.errors import DependencyUnavailable
from application.jobs.catalog import JOB_TYPES, SendVerificationMail, tuned
from application.ports.mail import Mail, Mailer
from application.use_cases.jobs.list_jobs import ListJobs
from application.use_cases.jobs.requeue_job import RequeueJob
from domain.errors import Conflict, Forbidden, NotFound
from domain.ids import new_job_id
from domain.jobs import Job, JobStatus
from domain.paging import Page
from domain.users import Role
from tests.builders import App, an_author, jobs_of


class OutageMailer(Mailer):
    """A mail server that is down until `mended`."""

    def __init__(self) -> None:
        self.inner = MemoryMailer()
        self.down = True

    async def send(self, mails: Sequence[Mail]) -> None:
        if self.down:
            raise DependencyUnavailable("smtp")
        await self.inner.send(mails)


def list_jobs(app: App) -> ListJobs:
    return app.container.list_jobs()  # type: ignore[no-any-return]


def requeue_job(app: App) -> RequeueJob:
    return app.container.requeue_job()  # type: ignore[no-any-return]


@pytest.fixture
def mailer(app: App) -> OutageMailer:
    mailer = OutageMailer()
    app.container.mail.mailer.override(providers.Object(mailer))
    app.container.job_types.override(providers.Object(tuned(JOB_TYPES, max_attempts=2)))
    return mailer


@pytest.fixture
async def admin(app: App) -> Actor:
    return await an_author(app, "boss", role=Role.ADMIN)


async def run_until_settled(app: App) -> None:
    """Run the jobs, and their retries as they fall due, until none is waiting for a retry."""
    await app.run_jobs()
    while retrying := [job for job in app.db.jobs.values() if job.status is JobStatus.RETRYING]:
        app.clock.advance(max(job.run_after for job in retrying) - app.clock.now())
        await app.run_jobs()


@pytest.fixture
async def dead(app: App, mailer: OutageMailer, ann: Actor, admin: Actor) -> Job:
    """Ann's verification mail, dead after two attempts while the mail server was down."""
    await run_until_settled(app)
    [job] = [job for job in jobs_of(app, SendVerificationMail.TYPE) if job.owner_id == ann.user_id]
    assert (job.status, job.attempts) == (JobStatus.DEAD, 2)
    return job


async def test_lists_the_dead_jobs(app: App, admin: Actor, dead: Job) -> None:
    page = await list_jobs(app)(admin, status=JobStatus.DEAD, page=Page())
    assert page.total == 2  # Ann's and the administrator's own verification mails
    assert dead.id in {view.id for view in page.jobs}
    assert {view.error for view in page.jobs} == {"DependencyUnavailable: smtp is unavailable"}


async def test_lists_every_job_newest_first_a_page_at_a_time(app: App, admin: Actor, ann: Actor) -> None:
    app.clock.advance(timedelta(minutes=1))
    await app.container.forgot_password()(email="ann@example.com")
    first = await list_jobs(app)(admin, status=None, page=Page(limit=2))
    assert first.total == 3
    assert [view.type for view in first.jobs] == ["send_password_reset_mail", "send_verification_mail"]
    rest = await list_jobs(app)(admin, status=None, page=Page(limit=2, offset=2))
    assert [view.type for view in rest.jobs] == ["send_verification_mail"]


async def test_lists_nothing_for_a_status_nobody_has(app: App, admin: Actor) -> None:
    page = await list_jobs(app)(admin, status=JobStatus.FAILED, page=Page())
    assert (page.jobs, page.total) == ([], 0)


async def test_a_dead_job_requeued_runs_again_once_its_cause_is_mended(
    app: App, mailer: OutageMailer, admin: Actor, dead: Job
) -> None:
    mailer.down = False
    view = await requeue_job(app)(admin, job_id=dead.id)
    assert (view.status, view.attempts, view.progress, view.error) == (JobStatus.QUEUED, 0, 0, None)
    await app.run_jobs()
    done = app.db.jobs[dead.id]
    assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 1)
    assert [mail.to for mail in mailer.inner.sent] == ["ann@example.com"]


async def test_a_requeued_job_that_fails_again_is_dead_again(
    app: App, mailer: OutageMailer, admin: Actor, dead: Job
) -> None:
    await requeue_job(app)(admin, job_id=dead.id)
    await run_until_settled(app)
    assert app.db.jobs[dead.id].status is JobStatus.DEAD
    assert mailer.inner.sent == []


async def test_a_queued_job_cannot_be_requeued(app: App, admin: Actor, ann: Actor) -> None:
    [job] = [job for job in jobs_of(app, SendVerificationMail.TYPE) if job.owner_id == ann.user_id]
    with pytest.raises(Conflict) as raised:
        await requeue_job(app)(admin, job_id=job.id)
    assert raised.value.field == "job"
    assert app.db.jobs[job.id].status is JobStatus.QUEUED


async def test_a_succeeded_job_cannot_be_requeued(app: App, admin: Actor, ann: Actor) -> None:
    await app.run_jobs()
    [job] = [job for job in jobs_of(app, SendVerificationMail.TYPE) if job.owner_id == ann.user_id]
    with pytest.raises(Conflict):
        await requeue_job(app)(admin, job_id=job.id)
    assert len(app.mailer.sent) == 2


async def test_an_unknown_job_is_not_found(app: App, admin: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await requeue_job(app)(admin, job_id=new_job_id())
    assert raised.value.field == "job"


async def test_users_may_not_list_jobs(app: App, ann: Actor) -> None:
    with pytest.raises(Forbidden) as raised:
        await list_jobs(app)(ann, status=None, page=Page())
    assert raised.value.field == "admin"


async def test_users_may_not_requeue_even_their_own_jobs(app: App, ann: Actor, dead: Job) -> None:
    with pytest.raises(Forbidden) as raised:
        await requeue_job(app)(ann, job_id=dead.id)
    assert raised.value.field == "admin"
    assert app.db.jobs[dead.id].status is JobStatus.DEAD
