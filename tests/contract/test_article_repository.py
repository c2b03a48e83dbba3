"""ArticleRepository contract: an article and its tags come back whole; a taken slug is a Conflict;
removing an article takes its comments, favorites and tag links with it."""

from datetime import timedelta

import pytest

from application.ports.queries import ArticleFilter
from domain.errors import Conflict
from domain.paging import Page
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_comment, an_article, state_of_article
from tests.contract.stored import a_stored_article, a_stored_comment, a_stored_user, favorite

LATER = CREATED + timedelta(hours=2, microseconds=3)


async def test_a_stored_article_comes_back_whole(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author, tags=["Zebras", "dragons", " apes "])
    async with storage.uow() as uow:
        found = await uow.articles.by_slug(article.slug)
    assert found is not None
    assert state_of_article(found) == state_of_article(article)
    assert found.tags == ("zebras", "dragons", "apes")  # normalised, in the order written
    assert found.created_at.utcoffset() == timedelta(0)
    assert found.created_at.microsecond == CREATED.microsecond


async def test_an_unknown_slug_is_none(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author)
    async with storage.uow() as uow:
        assert await uow.articles.by_slug(article.slug + "x") is None
        assert await uow.articles.by_slug(article.slug.upper()) is None


async def test_saved_changes_are_kept_and_the_tags_rewritten(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author, tags=["dragons", "training"])
    async with storage.uow() as uow:
        loaded = await uow.articles.by_slug(article.slug)
        assert loaded is not None
        loaded.edit(by=author.id, is_admin=False, now=LATER, title="Dragons, retold", description="New",
                    body="Believe harder", tags=["training", "myths"])
        await uow.articles.save(loaded)
        await uow.commit()
    async with storage.uow() as uow:
        assert await uow.articles.by_slug(article.slug) is None  # a new title brings a new slug
        found = await uow.articles.by_slug(loaded.slug)
    assert found is not None
    assert state_of_article(found) == state_of_article(loaded)
    assert found.tags == ("training", "myths")
    assert await storage.tags.tags() == ["myths", "training"]


async def test_saving_no_tags_removes_every_link(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author, tags=["dragons"])
    async with storage.uow() as uow:
        loaded = await uow.articles.by_slug(article.slug)
        assert loaded is not None
        loaded.edit(by=author.id, is_admin=False, now=LATER, tags=[])
        await uow.articles.save(loaded)
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.articles.by_slug(article.slug)
    assert found is not None and found.tags == ()
    assert await storage.tags.tags() == []


async def test_saving_an_article_not_stored_yet_stores_it(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = an_article(author.id)
    async with storage.uow() as uow:
        await uow.articles.save(article)
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.articles.by_slug(article.slug)
    assert found is not None and state_of_article(found) == state_of_article(article)


async def test_removing_an_article_removes_its_comments_favorites_and_tag_links(storage: Storage) -> None:
    author, fan = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    doomed = await a_stored_article(storage, author, tags=["dragons", "doomed"])
    kept = await a_stored_article(storage, author, title="Kept", tags=["dragons"])
    comment = await a_stored_comment(storage, doomed, fan)
    await favorite(storage, fan, doomed)
    await favorite(storage, fan, kept)
    async with storage.uow() as uow:
        loaded = await uow.articles.by_slug(doomed.slug)
        assert loaded is not None
        await uow.articles.remove(loaded)
        await uow.commit()
    async with storage.uow() as uow:
        assert await uow.articles.by_slug(doomed.slug) is None
        assert comment.id is not None and await uow.comments.get(comment.id) is None
    assert await storage.comments.comments(doomed.slug, viewer=None) is None
    assert await storage.tags.tags() == ["dragons"]
    favorited = await storage.articles.articles(ArticleFilter(favorited_by="jane"), Page(), viewer=None)
    assert [a.slug for a in favorited.articles] == [kept.slug] and favorited.total == 1


@pytest.mark.parametrize("change", ["add", "save"])
async def test_a_taken_slug_is_a_conflict(storage: Storage, change: str) -> None:
    author = await a_stored_user(storage, "jake")
    first = await a_stored_article(storage, author)
    second = an_article(author.id, title="Another")
    if change == "save":
        async with storage.uow() as uow:
            await uow.articles.add(second)
            await uow.commit()
    second.slug = first.slug
    with pytest.raises(Conflict) as raised:
        async with storage.uow() as uow:
            await (uow.articles.add(second) if change == "add" else uow.articles.save(second))
            await uow.commit()
    assert (raised.value.field, raised.value.message) == ("slug", "has already been taken")
    async with storage.uow() as uow:
        kept = await uow.articles.by_slug(first.slug)
    assert kept is not None and kept.id == first.id


async def test_an_article_is_not_stored_without_commit(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = an_article(author.id)
    async with storage.uow() as uow:
        await uow.articles.add(article)
        assert await uow.articles.by_slug(article.slug) is not None  # the transaction sees its own write
    async with storage.uow() as uow:
        assert await uow.articles.by_slug(article.slug) is None
    assert await storage.articles.article(article.slug, viewer=None) is None
    assert await storage.tags.tags() == []


async def test_a_comment_is_stored_with_its_article_in_one_transaction(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = an_article(author.id)
    async with storage.uow() as uow:
        await uow.articles.add(article)
        comment_id = await uow.comments.add(a_comment(article.id, author.id))
        await uow.commit()
    comments = await storage.comments.comments(article.slug, viewer=None)
    assert comments is not None and [c.id for c in comments] == [comment_id]

