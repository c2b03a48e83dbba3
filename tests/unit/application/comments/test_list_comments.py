"""ListComments: every comment on an article, oldest first, with the viewer's following flag."""

import pytest

from application.actor import Actor
from domain.errors import NotFound
from tests.builders import App, an_article, minutes


async def test_oldest_first(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    for body in ("first", "second", "third"):
        await app.add_comment()(rob, slug=article.slug, body=body)
        app.clock.advance(minutes(1))
    assert [c.body for c in await app.list_comments()(None, slug=article.slug)] == ["first", "second", "third"]


async def test_comments_written_at_the_same_instant_keep_their_order(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    for body in ("first", "second", "third"):
        await app.add_comment()(rob, slug=article.slug, body=body)
    assert [c.body for c in await app.list_comments()(None, slug=article.slug)] == ["first", "second", "third"]


async def test_only_the_articles_own_comments(app: App, ann: Actor, rob: Actor) -> None:
    article, other = await an_article(app, ann), await an_article(app, ann, title="Other")
    await app.add_comment()(rob, slug=other.slug, body="elsewhere")
    assert await app.list_comments()(None, slug=article.slug) == []


async def test_the_viewer_sees_whom_they_follow(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    await app.add_comment()(ann, slug=article.slug, body="Author here")
    await app.follow_user()(rob, username="ann")
    [as_rob] = await app.list_comments()(rob, slug=article.slug)
    [anonymous] = await app.list_comments()(None, slug=article.slug)
    assert (as_rob.author.following, anonymous.author.following) == (True, False)


async def test_an_unknown_article_is_not_found(app: App) -> None:
    with pytest.raises(NotFound) as raised:
        await app.list_comments()(None, slug="nope")
    assert raised.value.field == "article"
