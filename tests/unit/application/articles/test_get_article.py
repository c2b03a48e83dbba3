"""GetArticle: one article, with the viewer's favorited and following flags."""

import pytest

from application.actor import Actor
from domain.errors import NotFound
from tests.builders import App, an_article


async def test_anyone_can_read_an_article(app: App, ann: Actor) -> None:
    article = await an_article(app, ann)
    view = await app.get_article()(None, slug=article.slug)
    assert (view.title, view.body, view.author.username) == ("How to train your dragon", "You have to believe", "ann")
    assert (view.favorited, view.author.following) == (False, False)


async def test_the_viewer_sees_their_own_flags(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    await app.favorite_article()(rob, slug=article.slug)
    await app.follow_user()(rob, username="ann")
    as_rob = await app.get_article()(rob, slug=article.slug)
    assert (as_rob.favorited, as_rob.favorites_count, as_rob.author.following) == (True, 1, True)
    as_ann = await app.get_article()(ann, slug=article.slug)
    assert (as_ann.favorited, as_ann.favorites_count, as_ann.author.following) == (False, 1, False)
    anonymous = await app.get_article()(None, slug=article.slug)
    assert (anonymous.favorited, anonymous.author.following) == (False, False)


async def test_an_unknown_slug_is_not_found(app: App) -> None:
    with pytest.raises(NotFound) as raised:
        await app.get_article()(None, slug="nope")
    assert raised.value.field == "article"
