"""UnfollowUser: harmless when one did not follow."""

import pytest

from application.actor import Actor
from domain.errors import NotFound
from tests.builders import App, an_author


async def test_unfollows(app: App, ann: Actor, rob: Actor) -> None:
    await app.follow_user()(rob, username="ann")
    view = await app.unfollow_user()(rob, username="ann")
    assert (view.username, view.following) == ("ann", False)


async def test_other_follows_stay(app: App, ann: Actor, rob: Actor) -> None:
    cid = await an_author(app, "cid")
    await app.follow_user()(rob, username="ann")
    await app.follow_user()(cid, username="ann")
    await app.unfollow_user()(rob, username="ann")
    assert (await app.get_profile()(cid, username="ann")).following


async def test_unfollowing_someone_not_followed_changes_nothing(app: App, ann: Actor, rob: Actor) -> None:
    assert not (await app.unfollow_user()(rob, username="ann")).following


async def test_an_unknown_user_is_not_found(app: App, rob: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await app.unfollow_user()(rob, username="nobody")
    assert raised.value.field == "profile"
