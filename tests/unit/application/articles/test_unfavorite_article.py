"""UnfavoriteArticle: removes the caller's favorite; harmless when there was none."""

import pytest

from application.actor import Actor
from domain.errors import NotFound
from tests.builders import App, an_article


async def test_unfavorites_the_article(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    await app.favorite_article()(rob, slug=article.slug)
    await app.favorite_article()(ann, slug=article.slug)
    view = await app.unfavorite_article()(rob, slug=article.slug)
    assert (view.favorited, view.favorites_count) == (False, 1)


async def test_unfavoriting_what_was_never_favorited_changes_nothing(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    view = await app.unfavorite_article()(rob, slug=article.slug)
    assert (view.favorited, view.favorites_count) == (False, 0)


async def test_an_unknown_slug_is_not_found(app: App, rob: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await app.unfavorite_article()(rob, slug="nope")
    assert raised.value.field == "article"
