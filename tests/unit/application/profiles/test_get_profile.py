"""GetProfile: a user's public face, found whatever the letter case of the name."""

import pytest

from application.use_cases.auth.register import SignedIn
from application.use_cases.users.update_user import AccountChanges
from application.views import ProfileView
from domain.errors import NotFound
from tests.builders import App, a_user, an_actor


async def test_anyone_can_see_a_profile(app: App, jake: SignedIn) -> None:
    assert await app.get_profile()(None, username="jake") == ProfileView(
        username="jake", bio=None, image=None, following=False
    )


async def test_found_whatever_the_letter_case(app: App) -> None:
    await a_user(app, username="JakeSmith")
    assert (await app.get_profile()(None, username="jakesmith")).username == "JakeSmith"


async def test_shows_bio_and_image_to_a_signed_in_viewer(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await app.update_user()(actor, AccountChanges(bio="hello", image="https://i.example/j.png"))
    jane = await a_user(app, email="jane@example.com", username="jane")
    viewer = await an_actor(app, jane.tokens.access_token)
    assert await app.get_profile()(viewer, username="jake") == ProfileView(
        username="jake", bio="hello", image="https://i.example/j.png", following=False
    )


async def test_an_unknown_user_is_not_found(app: App, jake: SignedIn) -> None:
    with pytest.raises(NotFound) as raised:
        await app.get_profile()(None, username="nobody")
    assert raised.value.field == "profile"
