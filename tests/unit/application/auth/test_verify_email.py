"""VerifyEmail: the link mailed at registration confirms the address once, for a day, and only that address."""

from datetime import timedelta

import pytest

from application.actor import Actor
from application.errors import InvalidEmailToken
from application.jobs.catalog import SendVerificationMail
from application.use_cases.auth.register import SignedIn
from application.use_cases.auth.verify_email import VerifyEmail
from application.use_cases.users.update_user import AccountChanges
from tests.builders import (
    FRONTEND_URL,
    App,
    an_actor,
    change_user,
    forget_user,
    jobs_of,
    mailed_token,
    stored_user,
)


def verify_email(app: App) -> VerifyEmail:
    return app.container.verify_email()  # type: ignore[no-any-return]


async def refused(app: App, token: str) -> None:
    with pytest.raises(InvalidEmailToken) as raised:
        await verify_email(app)(token=token)
    assert (raised.value.field, raised.value.message) == ("token", "is invalid or has expired")


@pytest.fixture
async def token(app: App, jake: SignedIn) -> str:
    """The token of the verification mail sent at Jake's registration."""
    await app.run_jobs()
    return mailed_token(app, "verify_email")


async def test_registration_mails_one_verification_link(app: App, jake: SignedIn) -> None:
    await app.run_jobs()
    [mail] = app.mailer.sent
    assert (mail.template, mail.to) == ("verify_email", "jake@example.com")
    assert mail.link is not None
    assert mail.link.startswith(f"{FRONTEND_URL}/verify-email?token=")
    assert mail.context == {"username": "jake", "expires_hours": 24}


async def test_the_token_verifies_the_address(app: App, jake: SignedIn, token: str) -> None:
    app.clock.advance(timedelta(minutes=3))
    await verify_email(app)(token=token)
    user = await stored_user(app, jake.account.user_id)
    assert user.email_verified_at == app.clock.now()
    assert (await app.get_current_user()(await an_actor(app, jake.tokens.access_token))).account.email_verified


async def test_the_token_works_once(app: App, token: str) -> None:
    await verify_email(app)(token=token)
    await refused(app, token)


async def test_the_token_works_until_it_expires(app: App, jake: SignedIn, token: str) -> None:
    app.clock.advance(timedelta(hours=23, minutes=59))
    await verify_email(app)(token=token)
    assert (await stored_user(app, jake.account.user_id)).is_verified


async def test_an_expired_token_is_refused(app: App, jake: SignedIn, token: str) -> None:
    app.clock.advance(timedelta(hours=24, minutes=1))
    await refused(app, token)
    assert not (await stored_user(app, jake.account.user_id)).is_verified


async def test_a_reset_token_is_refused(app: App, jake: SignedIn) -> None:
    await app.container.forgot_password()(email="jake@example.com")
    await app.run_jobs()
    await refused(app, mailed_token(app, "reset_password"))
    assert not (await stored_user(app, jake.account.user_id)).is_verified


@pytest.mark.parametrize("garbage", ["", "not-a-token", "a.b.c"])
async def test_garbage_is_refused(app: App, garbage: str) -> None:
    await refused(app, garbage)


async def test_the_token_for_an_old_address_is_refused_after_a_change(app: App, jake: SignedIn, token: str) -> None:
    actor: Actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(email="jacob@example.com"))
    await refused(app, token)
    await app.run_jobs()
    assert app.mailer.sent[-1].to == "jacob@example.com"
    await verify_email(app)(token=mailed_token(app, "verify_email"))
    user = await stored_user(app, jake.account.user_id)
    assert (user.email.value, user.is_verified) == ("jacob@example.com", True)


async def test_the_token_is_refused_once_the_user_is_gone(app: App, jake: SignedIn, token: str) -> None:
    forget_user(app, jake.account.user_id)
    await refused(app, token)


async def test_no_mail_is_sent_when_the_user_verified_before_the_job_ran(app: App, jake: SignedIn) -> None:
    await change_user(app, jake.account.user_id, lambda user: user.verify_email(now=app.clock.now()))
    await app.run_jobs()
    assert app.mailer.sent == []
    [job] = jobs_of(app, SendVerificationMail.TYPE)
    assert job.result == {"sent": False}


async def test_no_mail_goes_to_an_address_left_before_the_job_ran(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(email="jacob@example.com"))
    await app.run_jobs()
    assert [mail.to for mail in app.mailer.sent] == ["jacob@example.com"]
