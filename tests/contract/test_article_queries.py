"""ArticleQueries contract: one article, and pages of articles newest first (ties by id), filtered,
counted across pages, with the viewer's flags and the number of users who favorited each."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from application.ports.queries import ArticleFilter
from application.views import ArticlePage, ArticleSummary, ArticleView, ProfileView
from domain.articles import Article
from domain.paging import Page
from domain.users import User
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, an_article
from tests.contract.stored import a_stored_article, a_stored_user, favorite, follow


def _at(minutes: int) -> timedelta:
    return timedelta(minutes=minutes)


def _slugs(page: ArticlePage) -> list[str]:
    return [article.slug for article in page.articles]


def _newest_first(*articles: Article) -> list[str]:
    return [a.slug for a in sorted(articles, key=lambda a: (a.created_at, a.id), reverse=True)]


async def _everyone(storage: Storage) -> tuple[User, User, User]:
    return (
        await a_stored_user(storage, "Jake", bio="I work at statefarm", image="https://example.com/jake.png"),
        await a_stored_user(storage, "Jane"),
        await a_stored_user(storage, "reader"),
    )


async def test_an_article_shows_everything_with_its_author(storage: Storage) -> None:
    jake, _, _ = await _everyone(storage)
    article = await a_stored_article(storage, jake, tags=["dragons", "training"])
    view = await storage.articles.article(article.slug, viewer=None)
    assert view == ArticleView(
        slug=article.slug, title="How to train your dragon", description="Ever wonder how?",
        tags=("dragons", "training"), created_at=CREATED, updated_at=CREATED, favorited=False, favorites_count=0,
        author=ProfileView(username="Jake", bio="I work at statefarm", image="https://example.com/jake.png",
                           following=False),
        body="You have to believe",
    )
    assert view is not None
    assert view.created_at.utcoffset() == timedelta(0)


async def test_an_unknown_slug_is_none(storage: Storage) -> None:
    jake, _, _ = await _everyone(storage)
    await a_stored_article(storage, jake)
    assert await storage.articles.article("no-such-article", viewer=None) is None
    assert await storage.articles.article("no-such-article", viewer=jake.id) is None


async def test_the_viewer_sees_their_favorite_and_their_follow(storage: Storage) -> None:
    jake, jane, reader = await _everyone(storage)
    article = await a_stored_article(storage, jake)
    await favorite(storage, reader, article)
    await follow(storage, reader, jake)
    for seen in (await storage.articles.article(article.slug, viewer=reader.id),
                 (await storage.articles.articles(ArticleFilter(), Page(), viewer=reader.id)).articles[0]):
        assert seen is not None
        assert (seen.favorited, seen.favorites_count, seen.author.following) == (True, 1, True)
    for viewer in (jane.id, None):
        seen = await storage.articles.article(article.slug, viewer=viewer)
        assert seen is not None
        assert (seen.favorited, seen.favorites_count, seen.author.following) == (False, 1, False)


async def test_favorites_count_is_the_number_of_distinct_users(storage: Storage) -> None:
    jake, jane, reader = await _everyone(storage)
    article = await a_stored_article(storage, jake)
    other = await a_stored_article(storage, jake, title="Other")
    for fan in (jake, jane, reader, jane):
        await favorite(storage, fan, article)
    await favorite(storage, jane, other)
    view = await storage.articles.article(article.slug, viewer=None)
    assert view is not None and view.favorites_count == 3
    page = await storage.articles.articles(ArticleFilter(), Page(), viewer=None)
    assert {a.slug: a.favorites_count for a in page.articles} == {article.slug: 3, other.slug: 1}


async def test_lists_are_newest_first_and_leave_out_the_body(storage: Storage) -> None:
    jake, jane, _ = await _everyone(storage)
    old = await a_stored_article(storage, jake, title="Old", now=CREATED)
    new = await a_stored_article(storage, jane, title="New", now=CREATED + _at(2))
    middle = await a_stored_article(storage, jake, title="Middle", now=CREATED + _at(1))
    page = await storage.articles.articles(ArticleFilter(), Page(), viewer=None)
    assert _slugs(page) == [new.slug, middle.slug, old.slug]
    assert page.total == 3
    assert all(type(article) is ArticleSummary for article in page.articles)


async def test_articles_written_in_the_same_instant_are_ordered_by_id_descending(storage: Storage) -> None:
    jake, _, _ = await _everyone(storage)
    same = [await a_stored_article(storage, jake, title=f"Same {n}", now=CREATED) for n in range(5)]
    later = await a_stored_article(storage, jake, title="Later", now=CREATED + timedelta(microseconds=1))
    page = await storage.articles.articles(ArticleFilter(), Page(), viewer=None)
    assert _slugs(page) == [later.slug, *_newest_first(*same)]
    walked = [
        slug for offset in range(6) for slug in _slugs(
            await storage.articles.articles(ArticleFilter(), Page(limit=1, offset=offset), viewer=None)
        )
    ]
    assert walked == _slugs(page)


async def test_the_total_counts_every_match_not_the_page(storage: Storage) -> None:
    jake, _, _ = await _everyone(storage)
    written = [await a_stored_article(storage, jake, title=f"A{n}", now=CREATED + _at(n)) for n in range(5)]
    expected = _newest_first(*written)
    first = await storage.articles.articles(ArticleFilter(), Page(limit=2), viewer=None)
    assert (_slugs(first), first.total) == (expected[:2], 5)
    last = await storage.articles.articles(ArticleFilter(), Page(limit=2, offset=4), viewer=None)
    assert (_slugs(last), last.total) == (expected[4:], 5)
    beyond = await storage.articles.articles(ArticleFilter(), Page(limit=2, offset=7), viewer=None)
    assert (beyond.articles, beyond.total) == ([], 5)
    filtered_beyond = await storage.articles.articles(ArticleFilter(author="jake"), Page(offset=5), viewer=None)
    assert (filtered_beyond.articles, filtered_beyond.total) == ([], 5)


async def test_no_match_is_an_empty_page_with_no_total(storage: Storage) -> None:
    jake, _, _ = await _everyone(storage)
    await a_stored_article(storage, jake, tags=["dragons"])
    for criteria in (ArticleFilter(tag="unicorns"), ArticleFilter(author="nobody"), ArticleFilter(favorited_by="jake")):
        for offset in (0, 3):
            page = await storage.articles.articles(criteria, Page(offset=offset), viewer=None)
            assert (page.articles, page.total) == ([], 0)


@pytest.mark.parametrize("asked", ["dragons", "DRAGONS", "  Dragons "])
async def test_filtering_by_tag_normalises_it_like_stored_tags(storage: Storage, asked: str) -> None:
    jake, _, _ = await _everyone(storage)
    tagged = await a_stored_article(storage, jake, tags=["Dragons", "myths"])
    await a_stored_article(storage, jake, title="Untagged", tags=[])
    await a_stored_article(storage, jake, title="Other", tags=["dragonsx", "myths"])
    page = await storage.articles.articles(ArticleFilter(tag=asked), Page(), viewer=None)
    assert (_slugs(page), page.total) == ([tagged.slug], 1)


@pytest.mark.parametrize("asked", ["jake", "JAKE", "Jake"])
async def test_filtering_by_author_ignores_the_letter_case(storage: Storage, asked: str) -> None:
    jake, jane, _ = await _everyone(storage)
    own = [await a_stored_article(storage, jake, title=f"J{n}", now=CREATED + _at(n)) for n in range(2)]
    await a_stored_article(storage, jane, title="Not Jake's")
    page = await storage.articles.articles(ArticleFilter(author=asked), Page(), viewer=None)
    assert (_slugs(page), page.total) == (_newest_first(*own), 2)


@pytest.mark.parametrize("asked", ["jane", "JANE"])
async def test_filtering_by_favoriting_user_ignores_the_letter_case(storage: Storage, asked: str) -> None:
    jake, jane, reader = await _everyone(storage)
    liked = await a_stored_article(storage, jake, title="Liked")
    liked_by_other = await a_stored_article(storage, jake, title="Liked by another")
    await favorite(storage, jane, liked)
    await favorite(storage, reader, liked)
    await favorite(storage, reader, liked_by_other)
    page = await storage.articles.articles(ArticleFilter(favorited_by=asked), Page(), viewer=jane.id)
    assert (_slugs(page), page.total) == ([liked.slug], 1)
    assert (page.articles[0].favorited, page.articles[0].favorites_count) == (True, 2)


async def test_filters_combine(storage: Storage) -> None:
    jake, jane, reader = await _everyone(storage)
    hit = await a_stored_article(storage, jake, title="Hit", tags=["dragons"], now=CREATED + _at(1))
    other_tag = await a_stored_article(storage, jake, title="Other tag", tags=["myths"])
    other_author = await a_stored_article(storage, jane, title="Other author", tags=["dragons"])
    not_liked = await a_stored_article(storage, jake, title="Not liked", tags=["dragons"])
    for article in (hit, other_tag, other_author):
        await favorite(storage, reader, article)
    everything = ArticleFilter(tag="dragons", author="JAKE", favorited_by="Reader")
    page = await storage.articles.articles(everything, Page(), viewer=None)
    assert (_slugs(page), page.total) == ([hit.slug], 1)
    page = await storage.articles.articles(ArticleFilter(tag="dragons", author="jake"), Page(), viewer=None)
    assert (_slugs(page), page.total) == (_newest_first(hit, not_liked), 2)
    page = await storage.articles.articles(ArticleFilter(tag="dragons", favorited_by="reader"), Page(limit=1),
                                           viewer=None)
    assert (_slugs(page), page.total) == (_newest_first(hit, other_author)[:1], 2)


async def test_the_feed_shows_the_followed_authors_newest_first(storage: Storage) -> None:
    jake, jane, reader = await _everyone(storage)
    stranger = await a_stored_user(storage, "stranger")
    mine = [await a_stored_article(storage, jake, title=f"J{n}", now=CREATED + _at(n)) for n in range(2)]
    hers = await a_stored_article(storage, jane, title="Jane's", now=CREATED + _at(5))
    await a_stored_article(storage, stranger, title="Not followed", now=CREATED + _at(9))
    await a_stored_article(storage, reader, title="Own", now=CREATED + _at(9))
    assert await storage.articles.feed(Page(), viewer=reader.id) == ArticlePage(articles=[], total=0)
    await follow(storage, reader, jake)
    await follow(storage, reader, jane)
    feed = await storage.articles.feed(Page(), viewer=reader.id)
    assert (_slugs(feed), feed.total) == (_newest_first(*mine, hers), 3)
    assert all(article.author.following for article in feed.articles)
    second = await storage.articles.feed(Page(limit=2, offset=2), viewer=reader.id)
    assert (_slugs(second), second.total) == (_newest_first(*mine, hers)[2:], 3)
    beyond = await storage.articles.feed(Page(limit=2, offset=4), viewer=reader.id)
    assert (beyond.articles, beyond.total) == ([], 3)


async def test_uncommitted_articles_are_not_listed(storage: Storage) -> None:
    jake, _, _ = await _everyone(storage)
    async with storage.uow() as uow:
        await uow.articles.add(an_article(jake.id))
        page = await storage.articles.articles(ArticleFilter(), Page(), viewer=None)
    assert (page.articles, page.total) == ([], 0)


async def _walk(read: Callable[[Page], Awaitable[ArticlePage]], limit: int) -> list[str]:
    slugs: list[str] = []
    while True:
        page = await read(Page(limit=limit, offset=len(slugs)))
        slugs.extend(_slugs(page))
        if len(page.articles) < limit:
            return slugs


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
async def test_feed_tag_and_favorite_pages_walk_every_article_once_newest_first_ties_by_id(
    storage: Storage, limit: int
) -> None:
    jake, jane, reader = await _everyone(storage)
    stranger = await a_stored_user(storage, "stranger")
    written = []
    # Interleaved authors and shared instants, so that a page boundary falls inside a tie.
    for minute, author in enumerate([jake, jane, stranger, jake, jane, jake, stranger, jane]):
        for tags in (["dragons"], ["training"]):
            written.append(await a_stored_article(storage, author, tags=tags, now=CREATED + _at(minute // 2)))
    await follow(storage, reader, jake)
    await follow(storage, reader, jane)
    followed = [article for article in written if article.author_id != stranger.id]
    feed = await _walk(lambda page: storage.articles.feed(page, viewer=reader.id), limit)
    assert feed == _newest_first(*followed)
    tagged = [article for article in written if article.tags == ("dragons",)]
    by_tag = await _walk(lambda page: storage.articles.articles(ArticleFilter(tag="dragons"), page, viewer=None), limit)
    assert by_tag == _newest_first(*tagged)
    liked = written[1::3]
    for article in reversed(liked):  # favorited in another order than written: pages follow the articles' time
        await favorite(storage, reader, article)
    favorited = ArticleFilter(favorited_by="Reader")
    by_fan = await _walk(lambda page: storage.articles.articles(favorited, page, viewer=None), limit)
    assert by_fan == _newest_first(*liked)
