"""DeleteArticle: the author or an admin deletes it, with its comments, favorites and tags."""

import pytest

from application.actor import Actor
from application.ports.queries import ArticleFilter
from domain.errors import Forbidden, NotFound
from domain.paging import Page
from domain.users import Role
from tests.builders import App, an_article, an_author


async def test_deletes_the_article_and_what_hangs_on_it(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann, tags=["doomed"])
    kept = await an_article(app, ann, title="Kept", tags=["kept"])
    await app.add_comment()(rob, slug=article.slug, body="First!")
    await app.favorite_article()(rob, slug=article.slug)
    await app.delete_article()(ann, slug=article.slug)
    with pytest.raises(NotFound):
        await app.get_article()(None, slug=article.slug)
    with pytest.raises(NotFound):
        await app.list_comments()(None, slug=article.slug)
    assert await app.list_tags()() == ["kept"]
    favorites = await app.list_articles()(None, criteria=ArticleFilter(favorited_by="rob"), page=Page())
    assert favorites.total == 0
    assert await app.get_article()(None, slug=kept.slug) == kept


async def test_someone_else_is_forbidden(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    with pytest.raises(Forbidden):
        await app.delete_article()(rob, slug=article.slug)
    assert await app.get_article()(None, slug=article.slug) == article


async def test_an_admin_may_delete(app: App, ann: Actor) -> None:
    admin = await an_author(app, "root", role=Role.ADMIN)
    article = await an_article(app, ann)
    await app.delete_article()(admin, slug=article.slug)
    with pytest.raises(NotFound):
        await app.get_article()(None, slug=article.slug)


async def test_an_unknown_slug_is_not_found(app: App, ann: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await app.delete_article()(ann, slug="nope")
    assert raised.value.field == "article"
