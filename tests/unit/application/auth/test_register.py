"""RegisterUser: a plain, active, unverified user with an empty profile, signed in at once."""

import asyncio

import pytest
from dependency_injector import providers

from application.errors import DependencyUnavailable, InvalidToken
from application.jobs.catalog import SendVerificationMail
from application.use_cases.auth.register import SignedIn
from domain.errors import Conflict, InvalidValue
from domain.passwords import PasswordPolicy
from domain.users import Email, Role
from tests.builders import PASSWORD, App, a_user, an_actor, jobs_of, live_sessions, stored_user
from tests.doubles import UnreachableTokenStore, YieldingPasswordHasher


async def test_creates_a_plain_active_unverified_user(app: App) -> None:
    signed_in = await a_user(app, email="Jake@Example.com", username="Jake")
    assert signed_in.account.email == "jake@example.com"
    assert signed_in.account.username == "Jake"
    assert signed_in.account.role is Role.USER
    user = await stored_user(app, signed_in.account.user_id)
    assert user.email == Email("jake@example.com")
    assert user.role is Role.USER
    assert user.is_active
    assert user.email_verified_at is None


async def test_creates_an_empty_profile(app: App) -> None:
    signed_in = await a_user(app)
    assert (signed_in.account.bio, signed_in.account.image) == (None, None)
    assert app.db.profiles[signed_in.account.user_id].bio is None


async def test_stores_a_hash_never_the_password(app: App) -> None:
    signed_in = await a_user(app)
    user = await stored_user(app, signed_in.account.user_id)
    assert PASSWORD not in user.password_hash
    assert await app.hasher.verify(PASSWORD, user.password_hash)


async def test_role_cannot_be_chosen(app: App) -> None:
    with pytest.raises(TypeError):
        await app.register()(email="jake@example.com", username="jake", password=PASSWORD, role=Role.ADMIN)  # type: ignore[call-arg]
    assert app.db.users == {}


async def test_signs_the_new_user_in(app: App) -> None:
    signed_in = await a_user(app)
    actor = await an_actor(app, signed_in.tokens.access_token)
    assert actor.user_id == signed_in.account.user_id
    assert signed_in.tokens.expires_in == 15 * 60
    assert (await app.refresh()(refresh_token=signed_in.tokens.refresh_token)).access_token


async def test_queues_the_verification_mail_with_the_account(app: App) -> None:
    signed_in = await app.register()(email="jake@example.com", username="jake", password=PASSWORD)
    assert not signed_in.account.email_verified
    [job] = jobs_of(app, SendVerificationMail.TYPE)
    assert job.payload == {"user_id": str(signed_in.account.user_id), "email": "jake@example.com"}
    assert job.owner_id == signed_in.account.user_id


async def test_a_token_store_that_is_down_leaves_no_account_and_no_job_behind() -> None:
    app = App()
    app.container.tokens.store.override(providers.Object(UnreachableTokenStore()))
    with pytest.raises(DependencyUnavailable):
        await a_user(app)
    assert app.db.users == {} and app.db.jobs == {}
    app.container.tokens.store.reset_last_overriding()
    app.container.sessions.reset()  # the issuer singleton was built on the unreachable store
    assert (await a_user(app)).account.username == "jake"  # the retry is a registration like any other


async def test_a_registration_that_loses_its_race_ends_the_session_it_opened() -> None:
    app = App(hasher=YieldingPasswordHasher())
    outcomes = await asyncio.gather(
        a_user(app, email="jake@example.com", username="jake"),
        a_user(app, email="jacob@example.com", username="JAKE"),
        return_exceptions=True,
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "SignedIn"]
    assert live_sessions(app) == 1
    assert len(app.db.jobs) == 1


@pytest.mark.parametrize("email", ["jake@example.com", "JAKE@EXAMPLE.COM", " Jake@example.com "])
async def test_a_taken_email_in_any_case_conflicts(app: App, jake: SignedIn, email: str) -> None:
    with pytest.raises(Conflict) as raised:
        await a_user(app, email=email, username="jacob")
    assert (raised.value.field, raised.value.message) == ("email", "has already been taken")
    assert len(app.db.users) == 1


@pytest.mark.parametrize("username", ["jake", "JAKE", "Jake"])
async def test_a_taken_username_in_any_case_conflicts(app: App, jake: SignedIn, username: str) -> None:
    with pytest.raises(Conflict) as raised:
        await a_user(app, email="jacob@example.com", username=username)
    assert (raised.value.field, raised.value.message) == ("username", "has already been taken")
    assert len(app.db.users) == 1


async def test_of_two_concurrent_registrations_of_one_email_one_wins() -> None:
    app = App(hasher=YieldingPasswordHasher())
    outcomes = await asyncio.gather(
        a_user(app, email="jake@example.com", username="jake"),
        a_user(app, email="JAKE@example.com", username="jacob"),
        return_exceptions=True,
    )
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Conflict", "SignedIn"]
    assert len(app.db.users) == 1


@pytest.mark.parametrize(
    ("email", "username", "password", "field", "message"),
    [
        ("", "jake", PASSWORD, "email", "can't be blank"),
        ("not-an-email", "jake", PASSWORD, "email", "is invalid"),
        ("jake@example.com", "", PASSWORD, "username", "can't be blank"),
        ("jake@example.com", "j", PASSWORD, "username", "must be 3-64 letters, digits, '_' or '-'"),
        ("jake@example.com", "jake", "", "password", "can't be blank"),
        ("jake@example.com", "jake", "short", "password", "is too short (minimum is 8 characters)"),
        ("jake@example.com", "jake", "x" * 257, "password", "is too long (maximum is 256 characters)"),
        ("jake@example.com", "jake", "Password1", "password", "is too common"),
    ],
)
async def test_invalid_values_are_refused(
    app: App, email: str, username: str, password: str, field: str, message: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        await a_user(app, email=email, username=username, password=password)
    assert (raised.value.field, raised.value.message) == (field, message)
    assert app.db.users == {}


async def test_common_passwords_pass_when_the_policy_allows_them() -> None:
    app = App(passwords=PasswordPolicy(refuse_common=False))
    signed_in = await a_user(app, password="password")
    assert (await app.log_in()(email="jake@example.com", password="password")).account == signed_in.account


async def test_the_registration_session_is_a_real_session(app: App) -> None:
    signed_in = await a_user(app)
    actor = await an_actor(app, signed_in.tokens.access_token)
    await app.log_out()(actor)
    with pytest.raises(InvalidToken):
        await an_actor(app, signed_in.tokens.access_token)
