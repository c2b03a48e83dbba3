"""UpdateArticle: the author or an admin changes what is given; a new title brings a new slug."""

import pytest

from application.actor import Actor
from application.use_cases.articles.update_article import ArticleChanges
from domain.errors import Forbidden, InvalidValue, NotFound
from domain.users import Role
from tests.builders import App, an_article, an_author, minutes


async def test_the_author_changes_what_is_given(app: App, ann: Actor) -> None:
    article = await an_article(app, ann)
    app.clock.advance(minutes(5))
    view = await app.update_article()(ann, slug=article.slug, changes=ArticleChanges(body="New body", tags=[]))
    assert (view.body, view.tags, view.slug) == ("New body", (), article.slug)
    assert (view.title, view.description) == (article.title, article.description)
    assert view.updated_at == app.clock.now()
    assert view.created_at == article.created_at


async def test_a_new_title_moves_the_article_to_a_new_slug(app: App, ann: Actor) -> None:
    article = await an_article(app, ann)
    view = await app.update_article()(ann, slug=article.slug, changes=ArticleChanges(title="Dragons revisited"))
    assert view.slug.startswith("dragons-revisited-")
    assert await app.get_article()(None, slug=view.slug) == view
    with pytest.raises(NotFound):
        await app.get_article()(None, slug=article.slug)


async def test_someone_else_is_forbidden(app: App, ann: Actor, rob: Actor) -> None:
    article = await an_article(app, ann)
    with pytest.raises(Forbidden):
        await app.update_article()(rob, slug=article.slug, changes=ArticleChanges(title=""))
    assert await app.get_article()(None, slug=article.slug) == article


async def test_an_admin_may_edit(app: App, ann: Actor) -> None:
    admin = await an_author(app, "root", role=Role.ADMIN)
    article = await an_article(app, ann)
    view = await app.update_article()(admin, slug=article.slug, changes=ArticleChanges(description="Moderated"))
    assert view.description == "Moderated"
    assert view.author.username == "ann"


async def test_an_unknown_slug_is_not_found(app: App, ann: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await app.update_article()(ann, slug="nope", changes=ArticleChanges(body="x"))
    assert raised.value.field == "article"


async def test_an_invalid_change_saves_nothing(app: App, ann: Actor) -> None:
    article = await an_article(app, ann)
    with pytest.raises(InvalidValue) as raised:
        await app.update_article()(ann, slug=article.slug, changes=ArticleChanges(title="New title", body=" "))
    assert raised.value.field == "body"
    assert await app.get_article()(None, slug=article.slug) == article
