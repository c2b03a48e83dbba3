"""ResetPassword: the mailed token sets a new password once, within the hour, and ends every session."""

from datetime import timedelta

import pytest

from application.errors import InvalidCredentials, InvalidEmailToken, InvalidToken
from application.jobs.catalog import SendPasswordChangedMail
from application.use_cases.auth.register import SignedIn
from application.use_cases.auth.reset_password import ResetPassword
from application.use_cases.users.update_user import AccountChanges
from domain.errors import InvalidValue
from tests.builders import PASSWORD, App, an_actor, change_user, jobs_of, mailed_token

NEW_PASSWORD = "a brand new secret"


def reset_password(app: App) -> ResetPassword:
    return app.container.reset_password()  # type: ignore[no-any-return]


async def a_reset_token(app: App, email: str = "jake@example.com") -> str:
    await app.container.forgot_password()(email=email)
    await app.run_jobs()
    return mailed_token(app, "reset_password")


async def refused(app: App, token: str, password: str = NEW_PASSWORD) -> None:
    with pytest.raises(InvalidEmailToken) as raised:
        await reset_password(app)(token=token, password=password)
    assert (raised.value.field, raised.value.message) == ("token", "is invalid or has expired")


@pytest.fixture
async def token(app: App, jake: SignedIn) -> str:
    token = await a_reset_token(app)
    app.clock.advance(timedelta(minutes=5))  # the time it takes to read the mail
    return token


async def test_the_new_password_logs_in_and_the_old_one_does_not(app: App, token: str) -> None:
    await reset_password(app)(token=token, password=NEW_PASSWORD)
    assert await app.log_in()(email="jake@example.com", password=NEW_PASSWORD)
    with pytest.raises(InvalidCredentials):
        await app.log_in()(email="jake@example.com", password=PASSWORD)


async def test_every_session_ends(app: App, jake: SignedIn, token: str) -> None:
    other = await app.log_in()(email="jake@example.com", password=PASSWORD)
    await reset_password(app)(token=token, password=NEW_PASSWORD)
    for tokens in (jake.tokens, other.tokens):
        with pytest.raises(InvalidToken):
            await an_actor(app, tokens.access_token)
        with pytest.raises(InvalidToken):
            await app.refresh()(refresh_token=tokens.refresh_token)


async def test_sessions_of_the_same_second_end_too(app: App, jake: SignedIn) -> None:
    token = await a_reset_token(app)  # the clock has not moved since registration
    await reset_password(app)(token=token, password=NEW_PASSWORD)
    with pytest.raises(InvalidToken):
        await an_actor(app, jake.tokens.access_token)


async def test_a_password_changed_mail_is_sent(app: App, jake: SignedIn, token: str) -> None:
    await reset_password(app)(token=token, password=NEW_PASSWORD)
    [job] = jobs_of(app, SendPasswordChangedMail.TYPE)
    assert job.payload == {"user_id": str(jake.account.user_id)}
    await app.run_jobs()
    assert [(m.to, m.context) for m in app.mailer.sent if m.template == "password_changed"] == [
        ("jake@example.com", {"username": "jake"})
    ]


async def test_the_token_works_once(app: App, token: str) -> None:
    await reset_password(app)(token=token, password=NEW_PASSWORD)
    await refused(app, token, password="yet another secret")
    assert await app.log_in()(email="jake@example.com", password=NEW_PASSWORD)


async def test_the_token_works_once_even_for_the_same_password(app: App, token: str) -> None:
    await reset_password(app)(token=token, password=NEW_PASSWORD)
    await refused(app, token)


async def test_using_one_token_spends_every_other(app: App, token: str) -> None:
    second = await a_reset_token(app)
    await reset_password(app)(token=second, password=NEW_PASSWORD)
    await refused(app, token)


async def test_a_password_change_through_the_account_spends_the_token(
    app: App, jake: SignedIn, token: str
) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(password="changed in the settings"))
    await refused(app, token)
    assert await app.log_in()(email="jake@example.com", password="changed in the settings")


async def test_a_weak_password_is_refused_and_the_token_still_works(app: App, token: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        await reset_password(app)(token=token, password="short")
    assert raised.value.field == "password"
    assert jobs_of(app, SendPasswordChangedMail.TYPE) == []
    await reset_password(app)(token=token, password=NEW_PASSWORD)
    assert await app.log_in()(email="jake@example.com", password=NEW_PASSWORD)


async def test_the_token_works_within_the_hour(app: App, token: str) -> None:
    app.clock.advance(timedelta(minutes=54))  # 59 minutes after it was mailed
    await reset_password(app)(token=token, password=NEW_PASSWORD)


async def test_the_token_expires_after_an_hour(app: App, token: str) -> None:
    app.clock.advance(timedelta(minutes=56))  # 61 minutes after it was mailed
    await refused(app, token)
    assert await app.log_in()(email="jake@example.com", password=PASSWORD)


async def test_a_deactivated_user_is_refused(app: App, jake: SignedIn, token: str) -> None:
    await change_user(app, jake.account.user_id, lambda user: user.deactivate(now=app.clock.now()))
    await refused(app, token)


async def test_a_verification_token_is_refused(app: App, jake: SignedIn) -> None:
    await app.run_jobs()
    await refused(app, mailed_token(app, "verify_email"))


@pytest.mark.parametrize("garbage", ["", "not-a-token", "a.b.c"])
async def test_garbage_is_refused(app: App, garbage: str) -> None:
    await refused(app, garbage)

