"""FollowUser: once per pair, never oneself; the profile answers with `following` for the caller."""

import pytest

from application.actor import Actor
from domain.errors import InvalidValue, NotFound
from tests.builders import App


async def test_follows_and_answers_with_the_profile(app: App, ann: Actor, rob: Actor) -> None:
    view = await app.follow_user()(rob, username="ann")
    assert (view.username, view.following) == ("ann", True)
    assert (await app.get_profile()(rob, username="ann")).following
    assert not (await app.get_profile()(None, username="ann")).following
    assert not (await app.get_profile()(ann, username="rob")).following


async def test_found_whatever_the_letter_case(app: App, ann: Actor, rob: Actor) -> None:
    assert (await app.follow_user()(rob, username="ANN")).following


async def test_following_twice_is_one_follow(app: App, ann: Actor, rob: Actor) -> None:
    await app.follow_user()(rob, username="ann")
    assert (await app.follow_user()(rob, username="ann")).following
    await app.unfollow_user()(rob, username="ann")
    assert not (await app.get_profile()(rob, username="ann")).following


async def test_one_may_not_follow_oneself(app: App, ann: Actor) -> None:
    with pytest.raises(InvalidValue) as raised:
        await app.follow_user()(ann, username="Ann")
    assert raised.value.field == "profile"
    assert not (await app.get_profile()(ann, username="ann")).following


@pytest.mark.parametrize("username", ["nobody", "no body", ""])
async def test_an_unknown_or_impossible_name_is_not_found(app: App, ann: Actor, username: str) -> None:
    with pytest.raises(NotFound) as raised:
        await app.follow_user()(ann, username=username)
    assert raised.value.field == "profile"
