"""ForgotPassword: a job finds out whether the address is anyone's; the caller never does."""

from datetime import timedelta

import pytest

from application.jobs.catalog import SendPasswordResetMail
from application.use_cases.auth.forgot_password import ForgotPassword
from application.use_cases.auth.register import SignedIn
from domain.errors import InvalidValue
from domain.jobs import JobStatus
from tests.builders import FRONTEND_URL, App, change_user, jobs_of


def forgot_password(app: App) -> ForgotPassword:
    return app.container.forgot_password()  # type: ignore[no-any-return]


def reset_mails(app: App) -> list[tuple[str, str | None]]:
    return [(mail.to, mail.link) for mail in app.mailer.sent if mail.template == "reset_password"]


async def test_a_known_address_gets_a_reset_link(app: App, jake: SignedIn) -> None:
    await forgot_password(app)(email="jake@example.com")
    await app.run_jobs()
    [mail] = [mail for mail in app.mailer.sent if mail.template == "reset_password"]
    assert mail.to == "jake@example.com"
    assert mail.link is not None
    assert mail.link.startswith(f"{FRONTEND_URL}/reset-password?token=")
    assert mail.context == {"username": "jake", "expires_minutes": 60}


async def test_the_address_is_matched_whatever_its_case(app: App, jake: SignedIn) -> None:
    await forgot_password(app)(email="  JAKE@Example.com ")
    [job] = jobs_of(app, SendPasswordResetMail.TYPE)
    assert job.payload == {"email": "jake@example.com"}
    await app.run_jobs()
    assert [to for to, _ in reset_mails(app)] == ["jake@example.com"]


async def test_an_unknown_address_runs_a_job_that_sends_nothing(app: App, jake: SignedIn) -> None:
    await forgot_password(app)(email="nobody@example.com")
    await app.run_jobs()
    assert reset_mails(app) == []
    [job] = jobs_of(app, SendPasswordResetMail.TYPE)
    assert job.result == {"sent": False}


async def test_a_deactivated_account_gets_no_mail(app: App, jake: SignedIn) -> None:
    await change_user(app, jake.account.user_id, lambda user: user.deactivate(now=app.clock.now()))
    await forgot_password(app)(email="jake@example.com")
    await app.run_jobs()
    assert reset_mails(app) == []


async def test_known_and_unknown_addresses_look_the_same_to_the_caller(app: App, jake: SignedIn) -> None:
    # Both calls return nothing (the signature says so); what they leave behind is one job each, alike.
    await forgot_password(app)(email="jake@example.com")
    await forgot_password(app)(email="nobody@example.com")
    jobs = jobs_of(app, SendPasswordResetMail.TYPE)
    assert [job.payload for job in jobs] == [{"email": "jake@example.com"}, {"email": "nobody@example.com"}]
    assert {(job.status, job.owner_id, job.request_id) for job in jobs} == {(jobs[0].status, None, None)}


@pytest.mark.parametrize("email", ["", "not-an-address", "jake@", "@example.com"])
async def test_an_impossible_address_is_refused_and_queues_nothing(app: App, email: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        await forgot_password(app)(email=email)
    assert raised.value.field == "email"
    assert jobs_of(app, SendPasswordResetMail.TYPE) == []


async def test_each_request_mails_a_fresh_link(app: App, jake: SignedIn) -> None:
    await forgot_password(app)(email="jake@example.com")
    await forgot_password(app)(email="jake@example.com")
    await app.run_jobs()
    first, second = reset_mails(app)
    assert first[1] != second[1]


async def test_a_request_not_mailed_within_the_hour_is_given_up(app: App, jake: SignedIn) -> None:
    await forgot_password(app)(email="jake@example.com")
    app.clock.advance(timedelta(hours=1, seconds=1))
    await app.run_jobs()
    assert reset_mails(app) == []
    [job] = jobs_of(app, SendPasswordResetMail.TYPE)
    assert job.status is JobStatus.DEAD
