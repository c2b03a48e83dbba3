"""FollowRepository and FavoriteRepository contract: pairs added and removed idempotently; a pair whose
user or article does not exist is not stored and raises nothing."""

from domain.articles import Article
from domain.ids import new_article_id, new_user_id
from domain.users import User
from tests.contract.conftest import Storage
from tests.contract.stored import a_stored_article, a_stored_user, favorite, follow


async def _following(storage: Storage, follower: User, followee: User) -> bool:
    profile = await storage.accounts.profile(followee.username.value, viewer=follower.id)
    assert profile is not None
    return profile.following


async def _favorites(storage: Storage, article: Article, viewer: User) -> tuple[bool, int]:
    view = await storage.articles.article(article.slug, viewer=viewer.id)
    assert view is not None
    return view.favorited, view.favorites_count


async def test_following_twice_is_one_follow(storage: Storage) -> None:
    jake, jane = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    await follow(storage, jake, jane)
    await follow(storage, jake, jane)
    assert await _following(storage, jake, jane)
    assert not await _following(storage, jane, jake)
    async with storage.uow() as uow:
        await uow.follows.remove(jake.id, jane.id)
        await uow.commit()
    assert not await _following(storage, jake, jane)  # one removal undoes both adds


async def test_unfollowing_someone_not_followed_changes_nothing(storage: Storage) -> None:
    jake, jane = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    async with storage.uow() as uow:
        await uow.follows.remove(jake.id, jane.id)
        await uow.commit()
    assert not await _following(storage, jake, jane)


async def test_following_a_user_who_does_not_exist_stores_nothing(storage: Storage) -> None:
    jake, jane = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    async with storage.uow() as uow:
        await uow.follows.add(jake.id, new_user_id())
        await uow.follows.add(jake.id, jane.id)  # the transaction goes on
        await uow.commit()
    assert await _following(storage, jake, jane)


async def test_favoriting_twice_is_one_favorite(storage: Storage) -> None:
    jake, jane = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    article = await a_stored_article(storage, jake)
    await favorite(storage, jane, article)
    await favorite(storage, jane, article)
    assert await _favorites(storage, article, jane) == (True, 1)
    assert await _favorites(storage, article, jake) == (False, 1)
    async with storage.uow() as uow:
        await uow.favorites.remove(jane.id, article.id)
        await uow.commit()
    assert await _favorites(storage, article, jane) == (False, 0)


async def test_unfavoriting_an_article_not_favorited_changes_nothing(storage: Storage) -> None:
    jake, jane = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    article = await a_stored_article(storage, jake)
    await favorite(storage, jake, article)
    async with storage.uow() as uow:
        await uow.favorites.remove(jane.id, article.id)
        await uow.commit()
    assert await _favorites(storage, article, jake) == (True, 1)


async def test_favoriting_an_article_that_does_not_exist_stores_nothing(storage: Storage) -> None:
    jake = await a_stored_user(storage, "jake")
    article = await a_stored_article(storage, jake)
    async with storage.uow() as uow:
        await uow.favorites.add(jake.id, new_article_id())
        await uow.favorites.add(new_user_id(), article.id)
        await uow.favorites.add(jake.id, article.id)  # the transaction goes on
        await uow.commit()
    assert await _favorites(storage, article, jake) == (True, 1)


async def test_follows_and_favorites_are_not_stored_without_commit(storage: Storage) -> None:
    jake, jane = await a_stored_user(storage, "jake"), await a_stored_user(storage, "jane")
    article = await a_stored_article(storage, jake)
    async with storage.uow() as uow:
        await uow.follows.add(jane.id, jake.id)
        await uow.favorites.add(jane.id, article.id)
    assert not await _following(storage, jane, jake)
    assert await _favorites(storage, article, jane) == (False, 0)
