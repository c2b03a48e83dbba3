"""GetJob: a job's status for its owner, who reads a generic error, and for administrators, who read the real one."""

from collections.abc import Sequence

import pytest
from dependency_injector import providers

from application.actor import Actor
from application.errors import DependencyUnavailable
from application.jobs.catalog import SendVerificationMail
from application.ports.mail import Mail, Mailer
from application.use_cases.jobs.get_job import GetJob
from application.use_cases.jobs.shared import OWNER_ERROR
from domain.errors import NotFound
from domain.ids import new_job_id
from domain.jobs import Job, JobStatus
from domain.users import Role
from tests.builders import App, an_author, jobs_of

REAL_ERROR = "DependencyUnavailable: smtp.internal.example:587 is unavailable"


class DownMailer(Mailer):
    async def send(self, mails: Sequence[Mail]) -> None:
        raise DependencyUnavailable("smtp.internal.example:587")


def get_job(app: App) -> GetJob:
    return app.container.get_job()  # type: ignore[no-any-return]


@pytest.fixture
async def admin(app: App) -> Actor:
    return await an_author(app, "boss", role=Role.ADMIN)


@pytest.fixture
async def job(app: App, ann: Actor) -> Job:
    """Ann's verification mail, failed once by a mail server that is down."""
    app.container.mail.mailer.override(providers.Object(DownMailer()))
    await app.run_jobs()
    [job] = [job for job in jobs_of(app, SendVerificationMail.TYPE) if job.owner_id == ann.user_id]
    assert job.last_error == REAL_ERROR
    return job


async def test_the_owner_sees_the_status_but_not_the_failure_details(app: App, ann: Actor, job: Job) -> None:
    view = await get_job(app)(ann, job_id=job.id)
    assert (view.id, view.status, view.attempts) == (job.id, JobStatus.RETRYING, 1)
    assert view.error == OWNER_ERROR == "an attempt failed"


async def test_an_administrator_sees_the_real_error(app: App, admin: Actor, job: Job) -> None:
    assert (await get_job(app)(admin, job_id=job.id)).error == REAL_ERROR


async def test_another_user_is_told_it_does_not_exist(app: App, rob: Actor, job: Job) -> None:
    with pytest.raises(NotFound) as raised:
        await get_job(app)(rob, job_id=job.id)
    assert (raised.value.field, raised.value.message) == ("job", "not found")


async def test_an_unknown_job_does_not_exist(app: App, ann: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await get_job(app)(ann, job_id=new_job_id())
    assert raised.value.field == "job"


async def test_a_job_of_nobody_is_for_administrators_only(app: App, ann: Actor, admin: Actor) -> None:
    await app.container.forgot_password()(email="ann@example.com")
    [reset] = jobs_of(app, "send_password_reset_mail")
    with pytest.raises(NotFound):
        await get_job(app)(ann, job_id=reset.id)
    assert (await get_job(app)(admin, job_id=reset.id)).owner_id is None


async def test_a_job_without_error_shows_none(app: App, ann: Actor) -> None:
    await app.run_jobs()
    [job] = [job for job in jobs_of(app, SendVerificationMail.TYPE) if job.owner_id == ann.user_id]
    view = await get_job(app)(ann, job_id=job.id)
    assert (view.status, view.error, view.result) == (JobStatus.SUCCEEDED, None, {"sent": True})
