"""ListArticles: newest first, filtered by tag, author or favoriting user, one bounded page at a time."""

import uuid

import pytest

from application.actor import Actor
from application.ports.queries import ArticleFilter
from domain.ids import ArticleId
from domain.paging import Page
from tests.builders import App, an_article, minutes

EVERYTHING = ArticleFilter()


async def titles(app: App, criteria: ArticleFilter = EVERYTHING, page: Page | None = None) -> list[str]:
    listed = await app.list_articles()(None, criteria=criteria, page=page or Page())
    return [article.title for article in listed.articles]


@pytest.fixture
async def library(app: App, ann: Actor, rob: Actor) -> None:
    """Four articles a minute apart: two by ann, two by rob; rob favorites "Ann two"."""
    slugs = {}
    for author, title, tags in [
        (ann, "Ann one", ["dragons"]),
        (rob, "Rob one", ["dragons", "fire"]),
        (ann, "Ann two", ["fire"]),
        (rob, "Rob two", []),
    ]:
        app.clock.advance(minutes(1))
        slugs[title] = (await an_article(app, author, title=title, tags=tags)).slug
    await app.favorite_article()(rob, slug=slugs["Ann two"])


async def test_newest_first(app: App, library: None) -> None:
    assert await titles(app) == ["Rob two", "Ann two", "Rob one", "Ann one"]


async def test_filter_by_tag_whatever_its_case(app: App, library: None) -> None:
    assert await titles(app, ArticleFilter(tag="Fire")) == ["Ann two", "Rob one"]


async def test_filter_by_author_whatever_the_case(app: App, library: None) -> None:
    assert await titles(app, ArticleFilter(author="ANN")) == ["Ann two", "Ann one"]


async def test_filter_by_favoriting_user(app: App, library: None) -> None:
    assert await titles(app, ArticleFilter(favorited_by="rob")) == ["Ann two"]


async def test_filters_combine(app: App, library: None) -> None:
    assert await titles(app, ArticleFilter(tag="dragons", author="rob")) == ["Rob one"]
    assert await titles(app, ArticleFilter(tag="dragons", favorited_by="rob")) == []


@pytest.mark.parametrize(
    "criteria", [ArticleFilter(tag="none"), ArticleFilter(author="nobody"), ArticleFilter(favorited_by="nobody")]
)
async def test_no_match_is_an_empty_page(app: App, library: None, criteria: ArticleFilter) -> None:
    listed = await app.list_articles()(None, criteria=criteria, page=Page())
    assert (listed.articles, listed.total) == ([], 0)


async def test_pages_and_the_total_of_all_matches(app: App, library: None) -> None:
    listed = await app.list_articles()(None, criteria=EVERYTHING, page=Page(limit=2, offset=1))
    assert [a.title for a in listed.articles] == ["Ann two", "Rob one"]
    assert listed.total == 4
    assert await titles(app, page=Page(limit=2, offset=4)) == []


async def test_the_viewer_sees_their_flags(app: App, library: None, rob: Actor) -> None:
    listed = await app.list_articles()(rob, criteria=ArticleFilter(author="ann"), page=Page())
    assert [(a.title, a.favorited, a.favorites_count) for a in listed.articles] == [
        ("Ann two", True, 1), ("Ann one", False, 0)
    ]


async def test_articles_written_at_the_same_instant_are_ordered_by_descending_id(
    app: App, ann: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ids drawn in a known, non-monotonic order, so the test shows the tie-break is by id, not by write order.
    drawn = iter([3, 7, 1, 6, 0, 5, 2, 4])
    monkeypatch.setattr("domain.articles.new_article_id", lambda: ArticleId(uuid.UUID(int=next(drawn))))
    for number in (3, 7, 1, 6, 0, 5, 2, 4):
        await an_article(app, ann, title=f"Article {number}")
    assert await titles(app) == [f"Article {number}" for number in reversed(range(8))]
