"""Feed: articles by the authors the caller follows, newest first."""

from application.actor import Actor
from domain.paging import Page
from tests.builders import App, an_article, an_author, minutes


async def test_shows_only_followed_authors_newest_first(app: App, ann: Actor, rob: Actor) -> None:
    cid = await an_author(app, "cid")
    for author, title in [(ann, "Ann one"), (cid, "Cid one"), (ann, "Ann two"), (rob, "Own article")]:
        app.clock.advance(minutes(1))
        await an_article(app, author, title=title)
    await app.follow_user()(rob, username="ann")
    await app.follow_user()(rob, username="cid")
    feed = await app.feed()(rob, page=Page())
    assert [a.title for a in feed.articles] == ["Ann two", "Cid one", "Ann one"]
    assert feed.total == 3
    assert all(article.author.following for article in feed.articles)


async def test_pages(app: App, ann: Actor, rob: Actor) -> None:
    for number in range(3):
        app.clock.advance(minutes(1))
        await an_article(app, ann, title=f"Ann {number}")
    await app.follow_user()(rob, username="ann")
    feed = await app.feed()(rob, page=Page(limit=1, offset=1))
    assert ([a.title for a in feed.articles], feed.total) == (["Ann 1"], 3)


async def test_empty_when_following_nobody(app: App, ann: Actor, rob: Actor) -> None:
    await an_article(app, ann)
    feed = await app.feed()(rob, page=Page())
    assert (feed.articles, feed.total) == ([], 0)


async def test_unfollowing_removes_the_author_from_the_feed(app: App, ann: Actor, rob: Actor) -> None:
    await an_article(app, ann)
    await app.follow_user()(rob, username="ann")
    await app.unfollow_user()(rob, username="ann")
    assert (await app.feed()(rob, page=Page())).total == 0
