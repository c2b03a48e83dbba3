"""AddComment: a comment by the caller on an existing article."""

import pytest

from application.actor import Actor
from domain.errors import InvalidValue, NotFound
from tests.builders import App, an_article


async def test_adds_a_comment(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    view = await app.add_comment()(rob, slug=article.slug, body="Thank you so much!")
    assert (view.body, view.author.username, view.author.following) == ("Thank you so much!", "rob", False)
    assert view.created_at == view.updated_at == app.clock.now()
    assert await app.list_comments()(None, slug=article.slug) == [view]


async def test_comments_get_distinct_ids(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    first = await app.add_comment()(rob, slug=article.slug, body="One")
    second = await app.add_comment()(rob, slug=article.slug, body="Two")
    assert first.id != second.id


async def test_an_unknown_article_is_not_found(app: App, rob: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await app.add_comment()(rob, slug="nope", body="Hello")
    assert raised.value.field == "article"


@pytest.mark.parametrize("body", ["", "   ", "c" * 10_001])
async def test_an_invalid_body_is_refused(app: App, ann: Actor, rob: Actor, body: str) -> None:
    article = await an_article(app, ann)
    with pytest.raises(InvalidValue) as raised:
        await app.add_comment()(rob, slug=article.slug, body=body)
    assert raised.value.field == "body"
    assert await app.list_comments()(None, slug=article.slug) == []
