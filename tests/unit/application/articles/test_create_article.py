"""CreateArticle: a new article by the caller, with a unique slug even for equal titles."""

from collections.abc import Iterator

import pytest

from application.actor import Actor
from domain.errors import Conflict, InvalidValue
from tests.builders import App, an_article


async def test_writes_the_article_and_reads_it_back(app: App, ann: Actor) -> None:
    view = await app.create_article()(
        ann, title="How to train your dragon", description="Ever wonder how?", body="Believe",
        tags=["Dragons", "training", "dragons"],
    )
    assert view.slug.startswith("how-to-train-your-dragon-")
    assert (view.title, view.description, view.body) == ("How to train your dragon", "Ever wonder how?", "Believe")
    assert view.tags == ("dragons", "training")
    assert view.created_at == view.updated_at == app.clock.now()
    assert (view.favorited, view.favorites_count) == (False, 0)
    assert (view.author.username, view.author.following) == ("ann", False)
    assert await app.get_article()(None, slug=view.slug) == view


async def test_equal_titles_get_different_slugs(app: App, ann: Actor) -> None:
    first, second = await an_article(app, ann), await an_article(app, ann)
    assert first.slug != second.slug


def slugs(*chosen: str) -> Iterator[str]:
    yield from chosen


async def test_a_taken_slug_is_drawn_again(app: App, ann: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = slugs("dragons-aaaaaa", "dragons-aaaaaa", "dragons-aaaaaa", "dragons-bbbbbb")
    monkeypatch.setattr("domain.articles.slug_for", lambda title: next(drawn))
    await an_article(app, ann, title="Dragons")
    assert (await an_article(app, ann, title="Dragons")).slug == "dragons-bbbbbb"


async def test_gives_up_after_five_taken_slugs(app: App, ann: Actor, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("domain.articles.slug_for", lambda title: "dragons-aaaaaa")
    await an_article(app, ann, title="Dragons")
    with pytest.raises(Conflict) as raised:
        await an_article(app, ann, title="Dragons")
    assert raised.value.field == "slug"
    assert len(app.db.state.articles) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"description": "  "}, "description"),
        ({"body": ""}, "body"),
        ({"tags": ["t" * 41]}, "tagList"),
    ],
)
async def test_invalid_values_are_refused(app: App, ann: Actor, changes: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"title": "T", "description": "D", "body": "B", "tags": [], **changes}
    with pytest.raises(InvalidValue) as raised:
        await app.create_article()(ann, **arguments)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert app.db.state.articles == {}
