"""CommentRepository contract: the store hands out increasing integer ids; a comment comes back whole."""

from datetime import timedelta

from domain.ids import CommentId
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_comment
from tests.contract.stored import a_stored_article, a_stored_comment, a_stored_user


async def test_ids_are_integers_that_increase(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author)
    ids: list[CommentId] = []
    for n in range(3):
        comment = await a_stored_comment(storage, article, author, body=f"#{n}")
        assert isinstance(comment.id, int)
        ids.append(comment.id)
    assert ids == sorted(ids) and len(set(ids)) == 3


async def test_add_returns_the_id_and_sets_it_on_the_comment(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author)
    comment = a_comment(article.id, author.id)
    async with storage.uow() as uow:
        comment_id = await uow.comments.add(comment)
        await uow.commit()
    assert comment.id == comment_id


async def test_a_stored_comment_comes_back_whole(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author)
    later = CREATED + timedelta(minutes=3, microseconds=5)
    comment = await a_stored_comment(storage, article, author, body="Nice dragons", now=later)
    assert comment.id is not None
    async with storage.uow() as uow:
        found = await uow.comments.get(comment.id)
    assert found is not None
    assert (found.id, found.article_id, found.author_id, found.body, found.created_at, found.updated_at) == (
        comment.id, article.id, author.id, "Nice dragons", later, later
    )
    assert found.created_at.utcoffset() == timedelta(0)


async def test_an_unknown_id_is_none(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author)
    comment = await a_stored_comment(storage, article, author)
    assert comment.id is not None
    async with storage.uow() as uow:
        assert await uow.comments.get(CommentId(comment.id + 1000)) is None


async def test_a_removed_comment_is_gone_and_the_others_stay(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author)
    removed = await a_stored_comment(storage, article, author, body="removed")
    kept = await a_stored_comment(storage, article, author, body="kept")
    assert removed.id is not None and kept.id is not None
    async with storage.uow() as uow:
        await uow.comments.remove(removed)
        await uow.commit()
    async with storage.uow() as uow:
        assert await uow.comments.get(removed.id) is None
        assert await uow.comments.get(kept.id) is not None


async def test_a_removed_comments_id_is_not_handed_out_again(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author)
    last = await a_stored_comment(storage, article, author)
    async with storage.uow() as uow:
        await uow.comments.remove(last)
        await uow.commit()
    following = await a_stored_comment(storage, article, author)
    assert last.id is not None and following.id is not None and following.id > last.id


async def test_a_comment_is_not_stored_without_commit(storage: Storage) -> None:
    author = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, author)
    async with storage.uow() as uow:
        comment_id = await uow.comments.add(a_comment(article.id, author.id))
    async with storage.uow() as uow:
        assert await uow.comments.get(comment_id) is None
    assert await storage.comments.comments(article.slug, viewer=None) == []
