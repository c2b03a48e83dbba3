"""LogOut: ends the caller's session and revokes the access token it used; other sessions live on."""

import pytest

from application.errors import InvalidToken
from application.use_cases.auth.register import SignedIn
from tests.builders import PASSWORD, App, a_user, an_actor, minutes


async def test_revokes_the_access_token_and_its_refresh_family(app: App, jake: SignedIn) -> None:
    await app.log_out()(await an_actor(app, jake.tokens.access_token))
    with pytest.raises(InvalidToken):
        await an_actor(app, jake.tokens.access_token)
    with pytest.raises(InvalidToken):
        await app.refresh()(refresh_token=jake.tokens.refresh_token)


async def test_every_token_of_the_session_dies(app: App, jake: SignedIn) -> None:
    rotated = await app.refresh()(refresh_token=jake.tokens.refresh_token)
    await app.log_out()(await an_actor(app, rotated.access_token))
    for token in (jake.tokens.access_token, rotated.access_token):
        with pytest.raises(InvalidToken):
            await an_actor(app, token)
    with pytest.raises(InvalidToken):
        await app.refresh()(refresh_token=rotated.refresh_token)


async def test_other_sessions_of_the_user_live_on(app: App, jake: SignedIn) -> None:
    phone = await app.log_in()(email="jake@example.com", password=PASSWORD)
    await app.log_out()(await an_actor(app, jake.tokens.access_token))
    assert (await an_actor(app, phone.tokens.access_token)).user_id == jake.account.user_id
    assert await app.refresh()(refresh_token=phone.tokens.refresh_token)


async def test_other_users_are_untouched(app: App, jake: SignedIn) -> None:
    jane = await a_user(app, email="jane@example.com", username="jane")
    await app.log_out()(await an_actor(app, jake.tokens.access_token))
    assert (await an_actor(app, jane.tokens.access_token)).user_id == jane.account.user_id


async def test_logging_out_twice_is_harmless(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.log_out()(actor)
    await app.log_out()(actor)
    with pytest.raises(InvalidToken):
        await an_actor(app, jake.tokens.access_token)


async def test_the_revocation_outlives_the_token(app: App, jake: SignedIn) -> None:
    await app.log_out()(await an_actor(app, jake.tokens.access_token))
    app.clock.advance(minutes(15))
    with pytest.raises(InvalidToken):
        await an_actor(app, jake.tokens.access_token)


async def test_the_user_can_log_in_again(app: App, jake: SignedIn) -> None:
    await app.log_out()(await an_actor(app, jake.tokens.access_token))
    again = await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert (await an_actor(app, again.tokens.access_token)).user_id == jake.account.user_id
