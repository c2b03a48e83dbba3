"""ListTags: every tag in use, most used first."""

from application.actor import Actor
from application.use_cases.articles.update_article import ArticleChanges
from tests.builders import App, an_article


async def test_empty_without_articles(app: App) -> None:
    assert await app.list_tags()() == []


async def test_most_used_first_then_alphabetical(app: App, ann: Actor) -> None:
    await an_article(app, ann, tags=["fire", "dragons"])
    await an_article(app, ann, tags=["dragons", "zebra"])
    await an_article(app, ann, tags=["Dragons", "apple"])
    assert await app.list_tags()() == ["dragons", "apple", "fire", "zebra"]


async def test_a_tag_no_longer_used_disappears(app: App, ann: Actor) -> None:
    article = await an_article(app, ann, tags=["fleeting"])
    await app.update_article()(ann, slug=article.slug, changes=ArticleChanges(tags=["lasting"]))
    assert await app.list_tags()() == ["lasting"]
