"""Writers racing on articles through the use cases: concurrent favorites all count, equal titles get
distinct slugs, and a favorite, follow or comment whose target vanished meanwhile is not a server error."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import delete

from adapters.sql.queries import SqlArticleQueries, SqlCommentQueries
from adapters.sql.reader import SqlReader
from adapters.sql.tables import articles, users
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from application.ports.queries import ArticleFilter
from application.use_cases.articles.create_article import CreateArticle
from application.use_cases.articles.favorite_article import FavoriteArticle
from application.use_cases.comments.add_comment import AddComment
from application.views import ArticleView
from domain import articles as article_rules
from domain.errors import NotFound
from domain.ids import ArticleId, UserId
from domain.paging import Page
from domain.users import User
from tests.contract.records import a_comment, a_profile, a_user
from tests.integration.actors import actor_of
from tests.integration.conftest import SessionFactory

FANS = 20



async def _users(factory: SessionFactory, count: int) -> list[User]:
    stored = [a_user() for _ in range(count)]
    async with SqlUnitOfWork(factory, SystemClock()) as uow:
        for user in stored:
            await uow.users.add(user)
            await uow.profiles.add(a_profile(user))
        await uow.commit()
    return stored


def _create_article(factory: SessionFactory, reader: SqlReader) -> CreateArticle:
    return CreateArticle(
        uow=SqlUnitOfWork(factory, SystemClock()), articles=SqlArticleQueries(reader), clock=SystemClock()
    )


async def _write(factory: SessionFactory, reader: SqlReader, author: User, title: str = "Dragons") -> ArticleView:
    return await _create_article(factory, reader)(
        actor_of(author), title=title, description="Ever wonder how?", body="Believe", tags=["dragons"]
    )


async def test_twenty_users_favoriting_one_article_at_once_all_count(
    factory: SessionFactory, reader: SqlReader
) -> None:
    author, *fans = await _users(factory, FANS + 1)
    article = await _write(factory, reader, author)

    def favorite(fan: User) -> Awaitable[ArticleView]:
        use_case = FavoriteArticle(uow=SqlUnitOfWork(factory, SystemClock()), articles=SqlArticleQueries(reader))
        return use_case(actor_of(fan), slug=article.slug)

    seen = await asyncio.gather(*(favorite(fan) for fan in fans))

    assert all(view.favorited for view in seen)
    final = await SqlArticleQueries(reader).article(article.slug, viewer=None)
    assert final is not None and final.favorites_count == FANS


async def test_one_author_writing_and_one_fan_favoriting_many_articles_at_once_all_succeed_and_count(
    factory: SessionFactory, reader: SqlReader
) -> None:
    """The counting triggers lock the author's, the fan's and the tags' rows: writers sharing them wait
    for each other, and none deadlocks."""
    author, fan = await _users(factory, 2)
    written = await asyncio.gather(*(
        _create_article(factory, reader)(
            actor_of(author), title=f"Dragons {n}", description="Ever wonder how?", body="Believe",
            tags=["dragons", "training", f"part-{n % 3}"],
        )
        for n in range(FANS)
    ))
    liked = await asyncio.gather(*(
        FavoriteArticle(uow=SqlUnitOfWork(factory, SystemClock()), articles=SqlArticleQueries(reader))(
            actor_of(fan), slug=article.slug
        )
        for article in written
    ))
    assert all(view.favorited for view in liked)
    queries = SqlArticleQueries(reader)
    for criteria in (ArticleFilter(author=author.username.value), ArticleFilter(tag="dragons"),
                     ArticleFilter(favorited_by=fan.username.value), ArticleFilter()):
        assert (await queries.articles(criteria, Page(limit=1), viewer=None)).total == FANS, criteria


async def test_two_articles_with_one_title_written_at_once_get_two_slugs(
    factory: SessionFactory, reader: SqlReader
) -> None:
    author, other = await _users(factory, 2)
    first, second = await asyncio.gather(_write(factory, reader, author), _write(factory, reader, other))
    assert first.slug != second.slug
    for written in (first, second):
        assert await SqlArticleQueries(reader).article(written.slug, viewer=None) is not None


async def test_when_both_draw_the_same_slug_the_later_one_draws_again(
    factory: SessionFactory, reader: SqlReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    author, other = await _users(factory, 2)
    draws = iter(["dragons-aaaaaa", "dragons-aaaaaa"])
    real_slug_for: Callable[[str], str] = article_rules.slug_for
    monkeypatch.setattr(article_rules, "slug_for", lambda title: next(draws, None) or real_slug_for(title))

    first, second = await asyncio.gather(_write(factory, reader, author), _write(factory, reader, other))

    assert "dragons-aaaaaa" in {first.slug, second.slug}
    assert first.slug != second.slug


# On SQLite a writer holds the write lock from its first statement, so no other transaction can
# delete in between; only PostgreSQL lets the row vanish under a transaction that has just read it.
@pytest.mark.parametrize("empty_database", ["postgres"], indirect=True)
async def test_a_favorite_of_an_article_deleted_meanwhile_is_dropped(
    factory: SessionFactory, reader: SqlReader
) -> None:
    author, fan = await _users(factory, 2)
    article = await _write(factory, reader, author)
    async with SqlUnitOfWork(factory, SystemClock()) as uow:
        found = await uow.articles.by_slug(article.slug)
        assert found is not None
        await _delete_article(factory, found.id)
        await uow.favorites.add(fan.id, found.id)
        await uow.favorites.add(fan.id, found.id)
        await uow.commit()
    use_case = FavoriteArticle(uow=SqlUnitOfWork(factory, SystemClock()), articles=SqlArticleQueries(reader))
    with pytest.raises(NotFound) as raised:
        await use_case(actor_of(fan), slug=article.slug)
    assert raised.value.field == "article"


@pytest.mark.parametrize("empty_database", ["postgres"], indirect=True)
async def test_a_follow_of_a_user_deleted_meanwhile_is_dropped(factory: SessionFactory) -> None:
    follower, followee = await _users(factory, 2)
    async with SqlUnitOfWork(factory, SystemClock()) as uow:
        found = await uow.users.by_username(followee.username)
        assert found is not None
        await _delete_user(factory, followee.id)
        await uow.follows.add(follower.id, found.id)
        await uow.commit()


@pytest.mark.parametrize("empty_database", ["postgres"], indirect=True)
async def test_a_comment_on_an_article_deleted_meanwhile_is_not_found(
    factory: SessionFactory, reader: SqlReader
) -> None:
    author, commenter = await _users(factory, 2)
    article = await _write(factory, reader, author)
    with pytest.raises(NotFound) as raised:
        async with SqlUnitOfWork(factory, SystemClock()) as uow:
            found = await uow.articles.by_slug(article.slug)
            assert found is not None
            await _delete_article(factory, found.id)
            await uow.comments.add(a_comment(found.id, commenter.id))
    assert raised.value.field == "article"
    use_case = AddComment(
        uow=SqlUnitOfWork(factory, SystemClock()), comments=SqlCommentQueries(reader), clock=SystemClock()
    )
    with pytest.raises(NotFound):
        await use_case(actor_of(commenter), slug=article.slug, body="Too late")


async def _delete_article(factory: SessionFactory, article_id: ArticleId) -> None:
    """Delete the article in a transaction of its own, committed at once."""
    async with factory() as session, session.begin():
        await session.execute(delete(articles).where(articles.c.id == article_id))


async def _delete_user(factory: SessionFactory, user_id: UserId) -> None:
    async with factory() as session, session.begin():
        await session.execute(delete(users).where(users.c.id == user_id))
