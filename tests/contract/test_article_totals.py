"""The totals of listings follow every change: writing, retagging, favoriting and unfavoriting, and
deleting an article with its tags and favorites. (The SQL adapter keeps them as counts, by triggers.)"""

from datetime import timedelta

from application.ports.queries import ArticleFilter
from domain.articles import Article
from domain.paging import Page
from domain.users import User
from tests.contract.conftest import Storage
from tests.contract.records import CREATED
from tests.contract.stored import a_stored_article, a_stored_user, favorite, follow

FILTERS = {
    "all": ArticleFilter(),
    "tag dragons": ArticleFilter(tag="dragons"),
    "tag training": ArticleFilter(tag="Training"),
    "by jake": ArticleFilter(author="JAKE"),
    "by jane": ArticleFilter(author="jane"),
    "favorited by reader": ArticleFilter(favorited_by="Reader"),
    "by jake, favorited by reader": ArticleFilter(author="jake", favorited_by="reader"),
}


async def _totals(storage: Storage, reader: User) -> dict[str, int]:
    """Each listing's total, read from its first page and from a page past its end."""
    totals = {}
    for name, criteria in FILTERS.items():
        first = await storage.articles.articles(criteria, Page(limit=1), viewer=None)
        beyond = await storage.articles.articles(criteria, Page(limit=1, offset=50), viewer=None)
        assert first.total == beyond.total, name
        totals[name] = first.total
    feed = await storage.articles.feed(Page(limit=1), viewer=reader.id)
    totals["feed of reader"] = feed.total
    return totals


async def _edited(storage: Storage, article: Article, tags: list[str]) -> None:
    async with storage.uow() as uow:
        stored = await uow.articles.by_slug(article.slug)
        assert stored is not None
        stored.edit(by=stored.author_id, is_admin=False, tags=tags, now=CREATED + timedelta(minutes=5))
        await uow.articles.save(stored)
        await uow.commit()


async def _deleted(storage: Storage, article: Article) -> None:
    async with storage.uow() as uow:
        stored = await uow.articles.by_slug(article.slug)
        assert stored is not None
        await uow.articles.remove(stored)
        await uow.commit()


async def test_totals_follow_writes_retags_favorites_and_deletions(storage: Storage) -> None:
    jake, jane, reader = [await a_stored_user(storage, name) for name in ("Jake", "Jane", "reader")]
    first = await a_stored_article(storage, jake, tags=["dragons", "training"])
    second = await a_stored_article(storage, jake, tags=["dragons"])
    third = await a_stored_article(storage, jane, tags=["training"])
    await follow(storage, reader, jane)
    for liked in (first, second, third):
        await favorite(storage, reader, liked)
    assert await _totals(storage, reader) == {
        "all": 3, "tag dragons": 2, "tag training": 2, "by jake": 2, "by jane": 1, "favorited by reader": 3,
        "by jake, favorited by reader": 2, "feed of reader": 1,
    }

    await _edited(storage, first, ["training"])
    async with storage.uow() as uow:
        await uow.favorites.remove(reader.id, second.id)
        await uow.commit()
    await follow(storage, reader, jake)
    assert await _totals(storage, reader) == {
        "all": 3, "tag dragons": 1, "tag training": 2, "by jake": 2, "by jane": 1, "favorited by reader": 2,
        "by jake, favorited by reader": 1, "feed of reader": 3,
    }

    await _deleted(storage, third)
    await _deleted(storage, first)
    assert await _totals(storage, reader) == {
        "all": 1, "tag dragons": 1, "tag training": 0, "by jake": 1, "by jane": 0, "favorited by reader": 0,
        "by jake, favorited by reader": 0, "feed of reader": 1,
    }
