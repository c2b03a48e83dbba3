"""Authenticate: an access token becomes an Actor only while its session, its user and itself are in good standing."""

from datetime import timedelta

import pytest

from application.errors import InvalidToken
from application.use_cases.auth.register import SignedIn
from domain.ids import new_user_id
from domain.sessions import TokenKind
from domain.users import Role
from tests.builders import App, an_actor, change_user, forget_user, minutes


async def refused(app: App, token: str) -> None:
    with pytest.raises(InvalidToken):
        await an_actor(app, token)


async def test_an_access_token_speaks_for_its_user(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    assert actor.user_id == jake.account.user_id
    assert actor.role is Role.USER
    assert not actor.is_admin
    assert actor.access == app.codec.decode(jake.tokens.access_token, kind=TokenKind.ACCESS)


async def test_the_role_is_read_fresh_on_every_call(app: App, jake: SignedIn) -> None:
    await change_user(app, jake.account.user_id, lambda user: user.change_role(Role.ADMIN, now=app.clock.now()))
    assert (await an_actor(app, jake.tokens.access_token)).is_admin


async def test_a_refresh_token_is_not_an_access_token(app: App, jake: SignedIn) -> None:
    await refused(app, jake.tokens.refresh_token)


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
async def test_garbage_is_refused(app: App, token: str) -> None:
    await refused(app, token)


async def test_an_expired_access_token_is_refused(app: App, jake: SignedIn) -> None:
    app.clock.advance(minutes(15) + timedelta(seconds=30))
    await refused(app, jake.tokens.access_token)


async def test_an_access_token_is_accepted_until_it_expires(app: App, jake: SignedIn) -> None:
    app.clock.advance(minutes(15) - timedelta(seconds=1))
    assert (await an_actor(app, jake.tokens.access_token)).user_id == jake.account.user_id


async def test_refused_after_log_out(app: App, jake: SignedIn) -> None:
    await app.log_out()(await an_actor(app, jake.tokens.access_token))
    await refused(app, jake.tokens.access_token)


async def test_a_deactivated_users_token_is_refused(app: App, jake: SignedIn) -> None:
    await change_user(app, jake.account.user_id, lambda user: user.deactivate(now=app.clock.now()))
    await refused(app, jake.tokens.access_token)


async def test_a_deleted_users_token_is_refused(app: App, jake: SignedIn) -> None:
    forget_user(app, jake.account.user_id)
    await refused(app, jake.tokens.access_token)


async def test_a_token_for_a_user_that_never_existed_is_refused(app: App) -> None:
    tokens = await app.sessions().open(new_user_id(), credentials_version=0)
    await refused(app, tokens.access_token)
    with pytest.raises(InvalidToken):
        await app.refresh()(refresh_token=tokens.refresh_token)


async def test_a_token_from_older_credentials_is_refused(app: App, jake: SignedIn) -> None:
    # The database cut-off is a backstop on its own, even if the token store still knew the session.
    await change_user(app, jake.account.user_id, lambda user: user.revoke_sessions())
    await refused(app, jake.tokens.access_token)
