"""UpdateUser: changes to the caller's account and profile, all or nothing; a new password ends other sessions."""

from datetime import timedelta

import pytest

from application.actor import Actor
from application.errors import InvalidCredentials, InvalidToken
from application.jobs.catalog import SendPasswordChangedMail, SendVerificationMail
from application.use_cases.auth.register import SignedIn
from application.use_cases.users.update_user import AccountChanges
from domain.errors import Conflict, InvalidValue
from domain.sessions import TokenKind
from domain.users import Email, Username
from tests.builders import PASSWORD, App, a_user, an_actor, change_user, days, forget_user, jobs_of, stored_user

NEW_PASSWORD = "a brand new secret"


@pytest.fixture
async def actor(app: App, jake: SignedIn) -> Actor:
    return await an_actor(app, jake.tokens.access_token)


async def test_nothing_sent_changes_nothing(app: App, jake: SignedIn, actor: Actor) -> None:
    before = await stored_user(app, jake.account.user_id)
    assert (await app.update_user()(actor, AccountChanges())).account == jake.account
    after = await stored_user(app, jake.account.user_id)
    assert (after.email, after.username, after.password_hash) == (before.email, before.username, before.password_hash)


async def test_changes_the_email(app: App, jake: SignedIn, actor: Actor) -> None:
    await change_user(app, jake.account.user_id, lambda user: setattr(user, "email_verified_at", app.clock.now()))
    account = (await app.update_user()(actor, AccountChanges(email="Jacob@Example.com"))).account
    assert account.email == "jacob@example.com"
    assert not account.email_verified
    user = await stored_user(app, jake.account.user_id)
    assert user.email == Email("jacob@example.com")
    assert user.email_verified_at is None
    assert jobs_of(app, SendVerificationMail.TYPE)[-1].payload == {
        "user_id": str(user.id), "email": "jacob@example.com"
    }


async def test_the_new_email_logs_in_and_the_old_one_does_not(app: App, actor: Actor) -> None:
    await app.update_user()(actor, AccountChanges(email="jacob@example.com"))
    assert await app.log_in()(email="JACOB@example.com", password=PASSWORD)
    with pytest.raises(InvalidCredentials):
        await app.log_in()(email="jake@example.com", password=PASSWORD)


async def test_the_same_email_in_another_case_is_no_change(app: App, jake: SignedIn, actor: Actor) -> None:
    account = (await app.update_user()(actor, AccountChanges(email="JAKE@EXAMPLE.COM"))).account
    assert account.email == "jake@example.com"
    assert len(jobs_of(app, SendVerificationMail.TYPE)) == 1  # registration's, no other


@pytest.mark.parametrize("email", ["jane@example.com", "JANE@example.COM"])
async def test_a_taken_email_conflicts(app: App, jake: SignedIn, actor: Actor, email: str) -> None:
    await a_user(app, email="jane@example.com", username="jane")
    with pytest.raises(Conflict) as raised:
        await app.update_user()(actor, AccountChanges(email=email, bio="unsaved"))
    assert raised.value.field == "email"
    assert (await stored_user(app, jake.account.user_id)).email == Email("jake@example.com")
    assert app.db.profiles[jake.account.user_id].bio is None


async def test_an_update_queues_only_the_jobs_of_its_own_changes(app: App, jake: SignedIn, actor: Actor) -> None:
    before = set(app.db.jobs)
    await app.update_user()(actor, AccountChanges(email="jacob@example.com", bio="new"))
    added = [app.db.jobs[job_id] for job_id in set(app.db.jobs) - before]
    assert [(job.type, job.payload) for job in added] == [
        (SendVerificationMail.TYPE, {"user_id": str(jake.account.user_id), "email": "jacob@example.com"})
    ]


async def test_changes_the_username(app: App, jake: SignedIn, actor: Actor) -> None:
    account = (await app.update_user()(actor, AccountChanges(username="Jacob"))).account
    assert account.username == "Jacob"
    assert (await app.get_profile()(None, username="jacob")).username == "Jacob"
    assert (await stored_user(app, jake.account.user_id)).username == Username("Jacob")


async def test_the_own_username_may_change_case(app: App, actor: Actor) -> None:
    assert (await app.update_user()(actor, AccountChanges(username="JAKE"))).account.username == "JAKE"


@pytest.mark.parametrize("username", ["jane", "JANE"])
async def test_a_taken_username_conflicts(app: App, jake: SignedIn, actor: Actor, username: str) -> None:
    await a_user(app, email="jane@example.com", username="jane")
    with pytest.raises(Conflict) as raised:
        await app.update_user()(actor, AccountChanges(username=username, email="jacob@example.com"))
    assert raised.value.field == "username"
    user = await stored_user(app, jake.account.user_id)
    assert (user.username, user.email) == (Username("jake"), Email("jake@example.com"))


async def test_bio_and_image_are_set(app: App, jake: SignedIn, actor: Actor) -> None:
    changes = AccountChanges(bio="I work at statefarm", image="https://i.example/j.png")
    account = (await app.update_user()(actor, changes)).account
    assert (account.bio, account.image) == ("I work at statefarm", "https://i.example/j.png")
    assert (await app.get_current_user()(actor)).account == account


@pytest.mark.parametrize("empty", ["", None])
async def test_an_empty_bio_or_image_clears_it(app: App, actor: Actor, empty: str | None) -> None:
    await app.update_user()(actor, AccountChanges(bio="bio", image="https://i.example/j.png"))
    account = (await app.update_user()(actor, AccountChanges(bio=empty, image=empty))).account
    assert (account.bio, account.image) == (None, None)
    assert (await app.get_current_user()(actor)).account == account


async def test_fields_not_sent_are_kept(app: App, actor: Actor) -> None:
    await app.update_user()(actor, AccountChanges(bio="bio", image="https://i.example/j.png"))
    account = (await app.update_user()(actor, AccountChanges(username="jacob"))).account
    assert (account.bio, account.image) == ("bio", "https://i.example/j.png")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (AccountChanges(email="", bio="unsaved"), "email"),
        (AccountChanges(email="not-an-email", bio="unsaved"), "email"),
        (AccountChanges(username="a b", bio="unsaved"), "username"),
        (AccountChanges(password="short", bio="unsaved"), "password"),
        (AccountChanges(password="", bio="unsaved"), "password"),
        (AccountChanges(password="password123", bio="unsaved"), "password"),
        (AccountChanges(email="jacob@example.com", image="not a url"), "image"),
        (AccountChanges(username="jacob", bio="b" * 2001), "bio"),
    ],
)
async def test_an_invalid_value_changes_nothing(
    app: App, jake: SignedIn, actor: Actor, changes: AccountChanges, field: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        await app.update_user()(actor, changes)
    assert raised.value.field == field
    assert (await app.get_current_user()(actor)).account == jake.account
    assert await app.log_in()(email="jake@example.com", password=PASSWORD)


async def test_a_new_password_replaces_the_old_one(app: App, actor: Actor) -> None:
    await app.update_user()(actor, AccountChanges(password=NEW_PASSWORD))
    with pytest.raises(InvalidCredentials):
        await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert await app.log_in()(email="jake@example.com", password=NEW_PASSWORD)


async def test_a_new_password_ends_the_other_sessions_only(app: App, jake: SignedIn) -> None:
    phone = await app.log_in()(email="jake@example.com", password=PASSWORD)
    jane = await a_user(app, email="jane@example.com", username="jane")
    app.clock.advance(timedelta(seconds=3))
    actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(password=NEW_PASSWORD))
    assert [job.owner_id for job in jobs_of(app, SendPasswordChangedMail.TYPE)] == [actor.user_id]
    with pytest.raises(InvalidToken):
        await an_actor(app, phone.tokens.access_token)
    with pytest.raises(InvalidToken):
        await app.refresh()(refresh_token=phone.tokens.refresh_token)
    assert (await an_actor(app, jake.tokens.access_token)).user_id == actor.user_id
    rotated = await app.refresh()(refresh_token=jake.tokens.refresh_token)
    assert (await an_actor(app, rotated.access_token)).user_id == actor.user_id
    assert (await an_actor(app, jane.tokens.access_token)).user_id == jane.account.user_id


async def test_a_session_opened_in_the_same_second_after_the_change_works(app: App, actor: Actor) -> None:
    await app.update_user()(actor, AccountChanges(password=NEW_PASSWORD))
    fresh = await app.log_in()(email="jake@example.com", password=NEW_PASSWORD)
    assert (await an_actor(app, fresh.tokens.access_token)).user_id == actor.user_id
    assert await app.refresh()(refresh_token=fresh.tokens.refresh_token)


async def test_a_session_opened_in_the_same_second_before_the_change_ends(app: App, jake: SignedIn) -> None:
    phone = await app.log_in()(email="jake@example.com", password=PASSWORD)
    await app.update_user()(await an_actor(app, jake.tokens.access_token), AccountChanges(password=NEW_PASSWORD))
    with pytest.raises(InvalidToken):
        await an_actor(app, phone.tokens.access_token)
    with pytest.raises(InvalidToken):
        await app.refresh()(refresh_token=phone.tokens.refresh_token)


async def test_a_deleted_user_is_refused(app: App, jake: SignedIn, actor: Actor) -> None:
    forget_user(app, jake.account.user_id)
    with pytest.raises(InvalidToken):
        await app.update_user()(actor, AccountChanges(bio="hello"))


async def test_the_account_comes_back_with_a_lasting_token_of_the_callers_session(app: App, actor: Actor) -> None:
    token = (await app.update_user()(actor, AccountChanges(bio="hello"))).token
    renewed = app.codec.decode(token, kind=TokenKind.ACCESS)
    assert renewed.expires_at - renewed.issued_at == days(7)
    assert renewed.session_id == actor.access.session_id


async def test_the_token_after_a_password_change_works_until_its_session_ends(app: App, actor: Actor) -> None:
    token = (await app.update_user()(actor, AccountChanges(password=NEW_PASSWORD))).token
    app.clock.advance(days(1))
    renewed = await an_actor(app, token)
    assert renewed.user_id == actor.user_id
    await app.log_out_everywhere()(renewed)
    with pytest.raises(InvalidToken):
        await an_actor(app, token)
