"""LogOutEverywhere: every session of the caller ends, no other user's does."""


import pytest

from application.errors import InvalidToken
from application.use_cases.auth.register import SignedIn
from tests.builders import PASSWORD, App, a_user, an_actor, forget_user, stored_user


async def test_ends_every_session_of_the_user(app: App, jake: SignedIn) -> None:
    phone = await app.log_in()(email="jake@example.com", password=PASSWORD)
    laptop = await app.log_in()(email="jake@example.com", password=PASSWORD)
    laptop_rotated = await app.refresh()(refresh_token=laptop.tokens.refresh_token)
    await app.log_out_everywhere()(await an_actor(app, phone.tokens.access_token))
    for tokens in (jake.tokens, phone.tokens, laptop_rotated):
        with pytest.raises(InvalidToken):
            await an_actor(app, tokens.access_token)
        with pytest.raises(InvalidToken):
            await app.refresh()(refresh_token=tokens.refresh_token)


async def test_spares_other_users(app: App, jake: SignedIn) -> None:
    jane = await a_user(app, email="jane@example.com", username="jane")
    await app.log_out_everywhere()(await an_actor(app, jake.tokens.access_token))
    assert (await an_actor(app, jane.tokens.access_token)).user_id == jane.account.user_id
    assert await app.refresh()(refresh_token=jane.tokens.refresh_token)


async def test_moves_the_users_credentials_on(app: App, jake: SignedIn) -> None:
    before = (await stored_user(app, jake.account.user_id)).credentials_version
    await app.log_out_everywhere()(await an_actor(app, jake.tokens.access_token))
    user = await stored_user(app, jake.account.user_id)
    assert user.credentials_version == before + 1
    assert user.kept_session_id is None


async def test_a_new_login_in_the_same_second_works(app: App, jake: SignedIn) -> None:
    await app.log_out_everywhere()(await an_actor(app, jake.tokens.access_token))
    again = await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert (await an_actor(app, again.tokens.access_token)).user_id == jake.account.user_id
    assert await app.refresh()(refresh_token=again.tokens.refresh_token)


async def test_a_deleted_user_is_refused(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    forget_user(app, jake.account.user_id)
    with pytest.raises(InvalidToken):
        await app.log_out_everywhere()(actor)
