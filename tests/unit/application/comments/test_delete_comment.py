"""DeleteComment: by its author or an admin, only through the article it is on."""

import pytest

from application.actor import Actor
from domain.errors import Forbidden, NotFound
from domain.ids import CommentId
from domain.users import Role
from tests.builders import App, an_article, an_author


async def test_the_author_deletes_their_comment(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    comment = await app.add_comment()(rob, slug=article.slug, body="Oops")
    kept = await app.add_comment()(rob, slug=article.slug, body="Kept")
    await app.delete_comment()(rob, slug=article.slug, comment_id=comment.id)
    assert await app.list_comments()(None, slug=article.slug) == [kept]


async def test_the_article_author_may_not_delete_others_comments(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    comment = await app.add_comment()(rob, slug=article.slug, body="Mine")
    with pytest.raises(Forbidden) as raised:
        await app.delete_comment()(ann, slug=article.slug, comment_id=comment.id)
    assert raised.value.field == "comment"
    assert await app.list_comments()(None, slug=article.slug) == [comment]


async def test_an_admin_may_delete_any_comment(app: App, ann: Actor, rob: Actor) -> None:
    admin = await an_author(app, "root", role=Role.ADMIN)
    article = await an_article(app, ann)
    comment = await app.add_comment()(rob, slug=article.slug, body="Spam")
    await app.delete_comment()(admin, slug=article.slug, comment_id=comment.id)
    assert await app.list_comments()(None, slug=article.slug) == []


async def test_a_comment_on_another_article_is_not_found(app: App, ann: Actor, rob: Actor) -> None:
    article, other = await an_article(app, ann), await an_article(app, ann, title="Other")
    comment = await app.add_comment()(rob, slug=other.slug, body="elsewhere")
    with pytest.raises(NotFound) as raised:
        await app.delete_comment()(rob, slug=article.slug, comment_id=comment.id)
    assert raised.value.field == "comment"
    assert await app.list_comments()(None, slug=other.slug) == [comment]


async def test_an_unknown_comment_is_not_found(app: App, ann: Actor) -> None:
    article = await an_article(app, ann)
    with pytest.raises(NotFound) as raised:
        await app.delete_comment()(ann, slug=article.slug, comment_id=CommentId(999))
    assert raised.value.field == "comment"


async def test_an_unknown_article_is_not_found_first(app: App, ann: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await app.delete_comment()(ann, slug="nope", comment_id=CommentId(1))
    assert raised.value.field == "article"
