"""LogIn: one answer and one password verification for unknown email, wrong password and inactive account."""

import pytest

from application.errors import InvalidCredentials
from application.use_cases.auth.register import SignedIn
from domain.errors import InvalidValue
from tests.builders import PASSWORD, App, a_user, an_actor, change_user, live_sessions
from tests.doubles import CountingPasswordHasher


@pytest.fixture
def hasher() -> CountingPasswordHasher:
    return CountingPasswordHasher()


@pytest.fixture
def app(hasher: CountingPasswordHasher) -> App:
    return App(hasher=hasher)


async def test_logs_in_and_opens_a_session(app: App, jake: SignedIn) -> None:
    signed_in = await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert signed_in.account == jake.account
    actor = await an_actor(app, signed_in.tokens.access_token)
    assert actor.user_id == jake.account.user_id
    assert actor.access.session_id != (await an_actor(app, jake.tokens.access_token)).access.session_id


@pytest.mark.parametrize("email", ["JAKE@example.com", "  jake@EXAMPLE.com "])
async def test_email_is_matched_whatever_its_case(app: App, jake: SignedIn, email: str) -> None:
    assert (await app.log_in()(email=email, password=PASSWORD)).account == jake.account


async def test_every_login_is_its_own_session(app: App, jake: SignedIn) -> None:
    first = await app.log_in()(email="jake@example.com", password=PASSWORD)
    second = await app.log_in()(email="jake@example.com", password=PASSWORD)
    await app.log_out()(await an_actor(app, first.tokens.access_token))
    assert (await an_actor(app, second.tokens.access_token)).user_id == jake.account.user_id


async def _failure(app: App, *, email: str, password: str) -> InvalidCredentials:
    with pytest.raises(InvalidCredentials) as raised:
        await app.log_in()(email=email, password=password)
    return raised.value


async def _deactivate_jake(app: App, jake: SignedIn) -> None:
    await change_user(app, jake.account.user_id, lambda user: user.deactivate(now=app.clock.now()))


FAILURES = {
    "unknown email": ("nobody@example.com", PASSWORD),
    "malformed email": ("not-an-email", PASSWORD),
    "wrong password": ("jake@example.com", PASSWORD + "!"),
    "inactive user": ("jake@example.com", PASSWORD),
}


@pytest.mark.parametrize("case", FAILURES)
async def test_each_failure_verifies_the_password_exactly_once(
    app: App, hasher: CountingPasswordHasher, jake: SignedIn, case: str
) -> None:
    if case == "inactive user":
        await _deactivate_jake(app, jake)
    email, password = FAILURES[case]
    before = hasher.verifications
    await _failure(app, email=email, password=password)
    assert hasher.verifications == before + 1


async def test_all_failures_look_the_same(app: App, jake: SignedIn) -> None:
    unknown = await _failure(app, email="nobody@example.com", password=PASSWORD)
    wrong = await _failure(app, email="jake@example.com", password="not the password")
    await _deactivate_jake(app, jake)
    inactive = await _failure(app, email="jake@example.com", password=PASSWORD)
    answers = {(type(error), error.field, error.message, error.args) for error in (unknown, wrong, inactive)}
    assert answers == {(InvalidCredentials, "credentials", "invalid", ("invalid",))}


async def test_a_success_also_verifies_once(app: App, hasher: CountingPasswordHasher, jake: SignedIn) -> None:
    await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert hasher.verifications == 1


async def test_a_failure_opens_no_session(app: App) -> None:
    await a_user(app)
    await _failure(app, email="jake@example.com", password="wrong password")
    assert live_sessions(app) == 1


@pytest.mark.parametrize(("email", "password", "field"), [
    ("", PASSWORD, "email"),
    ("   ", PASSWORD, "email"),
    ("jake@example.com", "", "password"),
    ("", "", "email"),
])
async def test_blank_fields_are_refused_before_any_work(
    app: App, hasher: CountingPasswordHasher, email: str, password: str, field: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        await app.log_in()(email=email, password=password)
    assert (raised.value.field, raised.value.message) == (field, "can't be blank")
    assert hasher.verifications == 0
