"""Committed state for the contract suites, written through the unit of work under test."""

from collections.abc import Sequence
from datetime import datetime

from domain.articles import Article, Comment
from domain.ids import CommentId, UserId
from domain.users import User
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_comment, a_profile, a_user, an_article


async def a_stored_user(storage: Storage, username: str, *, bio: str | None = None,
                        image: str | None = None) -> User:
    user = a_user(email=f"{username.lower()}@example.com", username=username)
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user, bio=bio, image=image))
        await uow.commit()
    return user


async def a_stored_article(
    storage: Storage, author: User, *, title: str = "How to train your dragon",
    tags: Sequence[str] = ("dragons", "training"), now: datetime = CREATED,
) -> Article:
    article = an_article(author.id, title=title, tags=tags, now=now)
    async with storage.uow() as uow:
        await uow.articles.add(article)
        await uow.commit()
    return article


async def a_stored_comment(storage: Storage, article: Article, author: User, *, body: str = "Thank you!",
                           now: datetime = CREATED) -> Comment:
    comment = a_comment(article.id, author.id, body=body, now=now)
    async with storage.uow() as uow:
        comment_id: CommentId = await uow.comments.add(comment)
        await uow.commit()
    assert comment.id == comment_id
    return comment


async def favorite(storage: Storage, fan: User, article: Article) -> None:
    async with storage.uow() as uow:
        await uow.favorites.add(fan.id, article.id)
        await uow.commit()


async def follow(storage: Storage, follower: User, followee: User | UserId) -> None:
    followee_id = followee if not isinstance(followee, User) else followee.id
    async with storage.uow() as uow:
        await uow.follows.add(follower.id, followee_id)
        await uow.commit()
