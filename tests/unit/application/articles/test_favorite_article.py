"""FavoriteArticle: once per user, however often asked."""

import pytest

from application.actor import Actor
from domain.errors import NotFound
from tests.builders import App, an_article


async def test_favorites_the_article(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    view = await app.favorite_article()(rob, slug=article.slug)
    assert (view.slug, view.favorited, view.favorites_count) == (article.slug, True, 1)


async def test_favoriting_twice_is_one_favorite(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    await app.favorite_article()(rob, slug=article.slug)
    view = await app.favorite_article()(rob, slug=article.slug)
    assert (view.favorited, view.favorites_count) == (True, 1)


async def test_favorites_of_several_users_add_up(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    await app.favorite_article()(rob, slug=article.slug)
    view = await app.favorite_article()(ann, slug=article.slug)
    assert (view.favorited, view.favorites_count) == (True, 2)


async def test_an_unknown_slug_is_not_found(app: App, rob: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await app.favorite_article()(rob, slug="nope")
    assert raised.value.field == "article"
