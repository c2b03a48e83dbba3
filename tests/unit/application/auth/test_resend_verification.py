"""ResendVerification: another verification mail on request, none once the address is verified."""

import pytest

from application.actor import Actor
from application.errors import InvalidToken
from application.jobs.catalog import SendVerificationMail
from application.use_cases.auth.register import SignedIn
from application.use_cases.auth.resend_verification import ResendVerification
from domain.errors import Conflict
from tests.builders import App, an_actor, forget_user, jobs_of, mailed_token, stored_user


def resend(app: App) -> ResendVerification:
    return app.container.resend_verification()  # type: ignore[no-any-return]


@pytest.fixture
async def actor(app: App, jake: SignedIn) -> Actor:
    return await an_actor(app, jake.tokens.access_token)


async def test_queues_another_verification_mail(app: App, jake: SignedIn, actor: Actor) -> None:
    await app.run_jobs()
    await resend(app)(actor)
    [_, again] = jobs_of(app, SendVerificationMail.TYPE)
    assert again.payload == {"user_id": str(jake.account.user_id), "email": "jake@example.com"}
    await app.run_jobs()
    assert [(mail.template, mail.to) for mail in app.mailer.sent] == [("verify_email", "jake@example.com")] * 2


async def test_the_earlier_link_stays_valid(app: App, jake: SignedIn, actor: Actor) -> None:
    await app.run_jobs()
    first = mailed_token(app, "verify_email")
    await resend(app)(actor)
    await app.run_jobs()
    assert mailed_token(app, "verify_email") != first
    await app.container.verify_email()(token=first)
    assert (await stored_user(app, jake.account.user_id)).is_verified


async def test_a_verified_address_conflicts_and_queues_nothing(app: App, actor: Actor) -> None:
    await app.run_jobs()
    await app.container.verify_email()(token=mailed_token(app, "verify_email"))
    with pytest.raises(Conflict) as raised:
        await resend(app)(actor)
    assert (raised.value.field, raised.value.message) == ("email", "is already verified")
    assert len(jobs_of(app, SendVerificationMail.TYPE)) == 1


async def test_the_mail_is_moot_once_verified_by_an_earlier_link(app: App, actor: Actor) -> None:
    await app.run_jobs()
    await resend(app)(actor)
    await app.container.verify_email()(token=mailed_token(app, "verify_email"))
    await app.run_jobs()
    assert len(app.mailer.sent) == 1
    assert jobs_of(app, SendVerificationMail.TYPE)[-1].result == {"sent": False}


async def test_a_vanished_account_is_refused(app: App, jake: SignedIn, actor: Actor) -> None:
    forget_user(app, jake.account.user_id)
    with pytest.raises(InvalidToken):
        await resend(app)(actor)
