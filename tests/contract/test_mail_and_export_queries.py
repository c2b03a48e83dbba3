"""RecipientQueries and UserDataQueries contract: who the mail jobs write to, and what an export holds."""

from datetime import timedelta

from domain.paging import Page
from domain.users import User
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_user
from tests.contract.stored import a_stored_article, a_stored_comment, a_stored_user, favorite, follow


async def _change(storage: Storage, user: User, *, verified: bool = True, active: bool = True) -> None:
    async with storage.uow() as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        if verified:
            loaded.verify_email(now=CREATED)
        if not active:
            loaded.deactivate(now=CREATED)
        await uow.users.save(loaded)
        await uow.commit()


async def test_a_recipient_is_read_fresh(storage: Storage) -> None:
    jake = await a_stored_user(storage, "Jake")
    recipient = await storage.recipients.recipient(jake.id)
    assert recipient is not None
    assert (recipient.email, recipient.username, recipient.email_verified, recipient.is_active) == (
        "jake@example.com", "Jake", False, True
    )
    await _change(storage, jake, verified=True, active=False)
    recipient = await storage.recipients.recipient(jake.id)
    assert recipient is not None and recipient.email_verified and not recipient.is_active


async def test_recipients_are_those_of_the_ids_that_exist(storage: Storage) -> None:
    jake, jane = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    assert await storage.recipients.recipients([]) == []
    found = await storage.recipients.recipients([jake.id, jane.id, a_user().id])
    assert sorted(r.username for r in found) == ["jake", "jane"]


async def test_notified_followers_are_the_verified_active_ones_in_id_pages(storage: Storage) -> None:
    author = await a_stored_user(storage, "author")
    followers = [await a_stored_user(storage, f"fan{n}") for n in range(7)]
    for fan in followers:
        await follow(storage, fan, author)
    for fan in followers[:5]:
        await _change(storage, fan)
    await _change(storage, followers[4], verified=False, active=False)  # verified but deactivated
    stranger = await a_stored_user(storage, "stranger")
    await _change(storage, stranger)  # verified, follows nobody
    expected = sorted(fan.id for fan in followers[:4])
    first = await storage.recipients.notified_followers(author.id, after=None, limit=3)
    rest = await storage.recipients.notified_followers(author.id, after=first[-1], limit=3)
    assert first + rest == expected
    assert await storage.recipients.notified_followers(author.id, after=rest[-1], limit=3) == []


async def test_a_published_article_is_read_as_anyone_sees_it(storage: Storage) -> None:
    author = await a_stored_user(storage, "author")
    article = await a_stored_article(storage, author, title="Dragons")
    view = await storage.recipients.published_article(article.id)
    assert view is not None and (view.slug, view.title, view.author.username) == (article.slug, "Dragons", "author")


async def test_counts_and_sections_of_an_export(storage: Storage) -> None:
    jake = await a_stored_user(storage, "jake", bio="I like to skateboard")
    jane = await a_stored_user(storage, "jane")
    older = await a_stored_article(storage, jake, title="First", tags=("a", "b"), now=CREATED)
    newer = await a_stored_article(storage, jake, title="Second", tags=(), now=CREATED + timedelta(hours=1))
    hers = await a_stored_article(storage, jane, title="Hers")
    await a_stored_comment(storage, hers, jake, body="Nice one", now=CREATED + timedelta(minutes=5))
    await a_stored_comment(storage, older, jane, body="not jake's")
    await favorite(storage, jake, hers)
    await favorite(storage, jane, older)
    await follow(storage, jake, jane)

    counts = await storage.user_data.counts(jake.id)
    assert (counts.articles, counts.comments, counts.favorites, counts.following) == (2, 1, 1, 1)
    account = await storage.user_data.account(jake.id)
    assert account is not None
    assert (account.username, account.email, account.bio, account.email_verified) == (
        "jake", "jake@example.com", "I like to skateboard", False
    )
    articles = await storage.user_data.articles(jake.id, Page())
    assert [(a.title, a.tags, a.body, a.favorites_count) for a in articles] == [
        ("First", ("a", "b"), "You have to believe", 1), ("Second", (), "You have to believe", 0)
    ]
    assert [a.slug for a in await storage.user_data.articles(jake.id, Page(limit=1, offset=1))] == [newer.slug]
    [comment] = await storage.user_data.comments(jake.id, Page())
    assert (comment.article_slug, comment.body) == (hers.slug, "Nice one")
    assert await storage.user_data.favorites(jake.id, Page()) == [hers.slug]
    assert await storage.user_data.following(jake.id, Page()) == ["jane"]


async def test_an_unknown_user_has_no_export_and_a_new_one_an_empty_one(storage: Storage) -> None:
    assert await storage.user_data.account(a_user().id) is None
    newcomer = await a_stored_user(storage, "newcomer")
    counts = await storage.user_data.counts(newcomer.id)
    assert (counts.articles, counts.comments, counts.favorites, counts.following) == (0, 0, 0, 0)
    assert await storage.user_data.articles(newcomer.id, Page()) == []
