"""GetCurrentUser: the caller's own account, read fresh, with a renewed lasting token of the caller's session."""

from datetime import timedelta

import pytest

from application.errors import InvalidToken
from application.sessions import AccessTerm
from application.use_cases.auth.register import SignedIn
from domain.sessions import SessionPolicy, TokenKind
from domain.users import Role
from tests.builders import PASSWORD, App, an_actor, change_user, days, forget_user


async def test_returns_the_callers_account(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    account = (await app.get_current_user()(actor)).account
    assert account == jake.account
    assert (account.email, account.username, account.role) == ("jake@example.com", "jake", Role.USER)


async def test_reflects_committed_changes(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await change_user(app, jake.account.user_id, lambda user: user.change_role(Role.ADMIN, now=app.clock.now()))
    assert (await app.get_current_user()(actor)).account.role is Role.ADMIN


async def test_a_deleted_user_is_refused(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    forget_user(app, jake.account.user_id)
    with pytest.raises(InvalidToken):
        await app.get_current_user()(actor)


async def test_the_token_is_a_new_lasting_one_of_the_callers_session(app: App, jake: SignedIn) -> None:
    app.clock.advance(timedelta(minutes=10))
    actor = await an_actor(app, jake.tokens.access_token)
    token = (await app.get_current_user()(actor)).token
    renewed = app.codec.decode(token, kind=TokenKind.ACCESS)
    assert renewed.expires_at - renewed.issued_at == days(7)
    assert renewed.issued_at == app.clock.now()
    assert (renewed.subject, renewed.session_id, renewed.session_ends_at, renewed.credentials_version) == (
        actor.access.subject, actor.access.session_id, actor.access.session_ends_at, actor.access.credentials_version
    )
    assert renewed.token_id != actor.access.token_id
    assert (await an_actor(app, token)).user_id == jake.account.user_id


async def test_each_visit_pushes_the_sign_in_out_but_never_past_the_session() -> None:
    app = App(policy=SessionPolicy(refresh_ttl=days(1), max_session_age=days(20)))
    started = app.clock.now()
    jake = await app.register()(
        email="jake@example.com", username="jake", password=PASSWORD, access=AccessTerm.LASTING
    )
    token = jake.tokens.access_token
    for expiry in (11, 15, 19, 20):  # visits every four days
        app.clock.advance(days(4))
        token = (await app.get_current_user()(await an_actor(app, token))).token
        assert app.codec.decode(token, kind=TokenKind.ACCESS).expires_at == started + days(expiry)
    app.clock.advance(days(4))
    with pytest.raises(InvalidToken):
        await an_actor(app, token)


async def test_the_renewed_token_ends_with_its_session(app: App, jake: SignedIn) -> None:
    token = (await app.get_current_user()(await an_actor(app, jake.tokens.access_token))).token
    app.clock.advance(days(1))
    await app.log_out()(await an_actor(app, token))
    with pytest.raises(InvalidToken):
        await an_actor(app, token)
    fresh = await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert (await an_actor(app, fresh.tokens.access_token)).user_id == jake.account.user_id
