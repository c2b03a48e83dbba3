"""CommentQueries contract: an article's comments oldest first with their authors as the viewer sees
them; None for an article that does not exist, an empty list for one without comments."""

from datetime import timedelta

from application.views import CommentView, ProfileView
from domain.ids import CommentId
from tests.contract.conftest import Storage
from tests.contract.records import CREATED
from tests.contract.stored import a_stored_article, a_stored_comment, a_stored_user, follow


async def test_comments_come_oldest_first_with_ties_by_id(storage: Storage) -> None:
    jake, jane = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    article = await a_stored_article(storage, jake)
    newest = await a_stored_comment(storage, article, jane, body="newest", now=CREATED + timedelta(minutes=5))
    first = await a_stored_comment(storage, article, jake, body="first", now=CREATED)
    second = await a_stored_comment(storage, article, jane, body="second", now=CREATED)
    comments = await storage.comments.comments(article.slug, viewer=None)
    assert comments is not None
    assert [c.body for c in comments] == ["first", "second", "newest"]
    assert [c.id for c in comments] == [first.id, second.id, newest.id]


async def test_a_comment_shows_its_author_as_the_viewer_sees_them(storage: Storage) -> None:
    jake = await a_stored_user(storage, "Jake", bio="bio", image="https://example.com/j.png")
    reader = await a_stored_user(storage, "reader")
    article = await a_stored_article(storage, jake)
    comment = await a_stored_comment(storage, article, jake, body="Hello", now=CREATED + timedelta(microseconds=9))
    await follow(storage, reader, jake)
    assert comment.id is not None
    expected = CommentView(
        id=comment.id, body="Hello", created_at=comment.created_at, updated_at=comment.updated_at,
        author=ProfileView(username="Jake", bio="bio", image="https://example.com/j.png", following=True),
    )
    assert await storage.comments.comments(article.slug, viewer=reader.id) == [expected]
    assert await storage.comments.comment(comment.id, viewer=reader.id) == expected
    anonymous = await storage.comments.comment(comment.id, viewer=None)
    assert anonymous is not None and anonymous.author.following is False


async def test_only_the_articles_own_comments_are_listed(storage: Storage) -> None:
    jake = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, jake)
    other = await a_stored_article(storage, jake, title="Other")
    await a_stored_comment(storage, other, jake, body="elsewhere")
    mine = await a_stored_comment(storage, article, jake, body="here")
    comments = await storage.comments.comments(article.slug, viewer=None)
    assert comments is not None and [c.id for c in comments] == [mine.id]


async def test_an_article_without_comments_has_an_empty_list(storage: Storage) -> None:
    jake = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, jake)
    assert await storage.comments.comments(article.slug, viewer=None) == []
    assert await storage.comments.comments(article.slug, viewer=jake.id) == []


async def test_a_missing_article_has_no_list_at_all(storage: Storage) -> None:
    jake = await a_stored_user(storage, "jake")
    await a_stored_article(storage, jake)
    assert await storage.comments.comments("no-such-article", viewer=None) is None


async def test_an_unknown_comment_is_none(storage: Storage) -> None:
    jake = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, jake)
    comment = await a_stored_comment(storage, article, jake)
    assert comment.id is not None
    assert await storage.comments.comment(CommentId(comment.id + 1), viewer=None) is None
