"""Test builders: the use cases wired by hand on the in-memory adapters, and a few ready-made users."""

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from adapters.memory.clock import FixedClock
from adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from adapters.memory.hasher import MemoryPasswordHasher
from adapters.memory.queries import (
    MemoryAccountQueries,
    MemoryArticleQueries,
    MemoryCommentQueries,
    MemoryPrincipalQueries,
    MemoryTagQueries,
)
from adapters.memory.token_store import MemoryTokenStore
from adapters.tokens.jwt_codec import JwtCodec
from application.actor import Actor
from application.ports.security import PasswordHasher
from application.sessions import SessionIssuer
from application.use_cases.admin.create_admin import CreateAdmin
from application.use_cases.articles.create_article import CreateArticle
from application.use_cases.articles.delete_article import DeleteArticle
from application.use_cases.articles.favorite_article import FavoriteArticle
from application.use_cases.articles.feed import Feed
from application.use_cases.articles.get_article import GetArticle
from application.use_cases.articles.list_articles import ListArticles
from application.use_cases.articles.unfavorite_article import UnfavoriteArticle
from application.use_cases.articles.update_article import UpdateArticle
from application.use_cases.auth.authenticate import Authenticate
from application.use_cases.auth.log_in import LogIn
from application.use_cases.auth.log_out import LogOut
from application.use_cases.auth.log_out_everywhere import LogOutEverywhere
from application.use_cases.auth.refresh_session import RefreshSession
from application.use_cases.auth.register import RegisterUser, SignedIn
from application.use_cases.comments.add_comment import AddComment
from application.use_cases.comments.delete_comment import DeleteComment
from application.use_cases.comments.list_comments import ListComments
from application.use_cases.profiles.follow_user import FollowUser
from application.use_cases.profiles.get_profile import GetProfile
from application.use_cases.profiles.unfollow_user import UnfollowUser
from application.use_cases.tags.list_tags import ListTags
from application.use_cases.users.get_current_user import GetCurrentUser
from application.use_cases.users.update_user import UpdateUser
from application.views import ArticleView
from domain.ids import UserId
from domain.passwords import PasswordPolicy
from domain.sessions import SessionPolicy
from domain.users import Role, User

# 64 bytes, so that tokens signed with it under HS512 raise no key-length warning either.
SECRET = "inkwell-unit-tests-secret-0123456789-abcdefghijklmnopqrstuvwxyz!!"
ISSUER = "inkwell"
PASSWORD = "correct horse battery"


@dataclass
class App:
    """The adapters a set of use cases shares. Every use case gets a fresh unit of work unless given one."""

    clock: FixedClock = field(default_factory=FixedClock)
    db: MemoryDatabase = field(default_factory=MemoryDatabase)
    hasher: PasswordHasher = field(default_factory=MemoryPasswordHasher)
    policy: SessionPolicy = field(default_factory=SessionPolicy)
    passwords: PasswordPolicy = field(default_factory=PasswordPolicy)
    store: MemoryTokenStore = field(init=False)
    codec: JwtCodec = field(init=False)

    def __post_init__(self) -> None:
        self.store = MemoryTokenStore(self.clock)
        self.codec = JwtCodec(secret=SECRET, issuer=ISSUER, clock=self.clock)

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.db)

    def sessions(self) -> SessionIssuer:
        return SessionIssuer(codec=self.codec, store=self.store, clock=self.clock, policy=self.policy)

    def register(self, uow: MemoryUnitOfWork | None = None) -> RegisterUser:
        return RegisterUser(
            uow=uow or self.uow(), hasher=self.hasher, policy=self.passwords, clock=self.clock,
            sessions=self.sessions(),
        )

    def create_admin(self, uow: MemoryUnitOfWork | None = None) -> CreateAdmin:
        return CreateAdmin(uow=uow or self.uow(), hasher=self.hasher, policy=self.passwords, clock=self.clock)

    def log_in(self) -> LogIn:
        return LogIn(uow=self.uow(), hasher=self.hasher, sessions=self.sessions())

    def refresh(self) -> RefreshSession:
        return RefreshSession(codec=self.codec, principals=MemoryPrincipalQueries(self.db), sessions=self.sessions())

    def authenticate(self) -> Authenticate:
        return Authenticate(codec=self.codec, store=self.store, principals=MemoryPrincipalQueries(self.db))

    def log_out(self) -> LogOut:
        return LogOut(store=self.store)

    def log_out_everywhere(self) -> LogOutEverywhere:
        return LogOutEverywhere(uow=self.uow(), store=self.store, clock=self.clock)

    def update_user(self, uow: MemoryUnitOfWork | None = None) -> UpdateUser:
        return UpdateUser(
            uow=uow or self.uow(), hasher=self.hasher, policy=self.passwords, store=self.store, clock=self.clock
        )

    def get_current_user(self) -> GetCurrentUser:
        return GetCurrentUser(accounts=MemoryAccountQueries(self.db))

    def get_profile(self) -> GetProfile:
        return GetProfile(accounts=MemoryAccountQueries(self.db))

    def create_article(self) -> CreateArticle:
        return CreateArticle(uow=self.uow(), articles=MemoryArticleQueries(self.db), clock=self.clock)

    def update_article(self) -> UpdateArticle:
        return UpdateArticle(uow=self.uow(), articles=MemoryArticleQueries(self.db), clock=self.clock)

    def delete_article(self) -> DeleteArticle:
        return DeleteArticle(uow=self.uow())

    def get_article(self) -> GetArticle:
        return GetArticle(articles=MemoryArticleQueries(self.db))

    def list_articles(self) -> ListArticles:
        return ListArticles(articles=MemoryArticleQueries(self.db))

    def feed(self) -> Feed:
        return Feed(articles=MemoryArticleQueries(self.db))

    def favorite_article(self) -> FavoriteArticle:
        return FavoriteArticle(uow=self.uow(), articles=MemoryArticleQueries(self.db))

    def unfavorite_article(self) -> UnfavoriteArticle:
        return UnfavoriteArticle(uow=self.uow(), articles=MemoryArticleQueries(self.db))

    def add_comment(self) -> AddComment:
        return AddComment(uow=self.uow(), comments=MemoryCommentQueries(self.db), clock=self.clock)

    def list_comments(self) -> ListComments:
        return ListComments(comments=MemoryCommentQueries(self.db))

    def delete_comment(self) -> DeleteComment:
        return DeleteComment(uow=self.uow())

    def follow_user(self) -> FollowUser:
        return FollowUser(uow=self.uow(), accounts=MemoryAccountQueries(self.db))

    def unfollow_user(self) -> UnfollowUser:
        return UnfollowUser(uow=self.uow(), accounts=MemoryAccountQueries(self.db))

    def list_tags(self) -> ListTags:
        return ListTags(tags=MemoryTagQueries(self.db))

    def fork(self) -> "App":
        """An independent copy of the stored state (database and token store), on the same clock.

        Lets a test try a destructive action, such as spending a refresh token, without touching this App.
        """
        twin = copy.copy(self)
        memo = {id(self.clock): self.clock}
        twin.db = copy.deepcopy(self.db, memo)
        twin.store = copy.deepcopy(self.store, memo)
        return twin


async def a_user(
    app: App, *, email: str = "jake@example.com", username: str = "jake", password: str = PASSWORD
) -> SignedIn:
    """Register a user; the result holds their account and a first session's tokens."""
    return await app.register()(email=email, username=username, password=password)


async def an_actor(app: App, access_token: str) -> Actor:
    return await app.authenticate()(access_token)


async def an_author(app: App, name: str, *, role: Role = Role.USER) -> Actor:
    """A registered, signed-in user named `name` (email `name@example.com`), as the Actor they act as."""
    signed_in = await a_user(app, email=f"{name}@example.com", username=name)
    if role is not Role.USER:
        await change_user(app, signed_in.account.user_id, lambda user: user.change_role(role, now=app.clock.now()))
    return await an_actor(app, signed_in.tokens.access_token)


async def an_article(
    app: App, author: Actor, *, title: str = "How to train your dragon", tags: Sequence[str] = ("dragons",)
) -> ArticleView:
    return await app.create_article()(
        author, title=title, description="Ever wonder how?", body="You have to believe", tags=list(tags)
    )


async def change_user(app: App, user_id: UserId, change: Callable[[User], None]) -> None:
    """Apply `change` to a stored user and commit, as an admin use case would."""
    async with app.uow() as uow:
        user = await uow.users.get(user_id)
        assert user is not None
        change(user)
        await uow.users.save(user)
        await uow.commit()


async def stored_user(app: App, user_id: UserId) -> User:
    async with app.uow() as uow:
        user = await uow.users.get(user_id)
    assert user is not None
    return user


def live_sessions(app: App) -> int:
    """How many sessions the token store holds, expired ones included until next looked at."""
    return len(app.store._sessions)


def forget_user(app: App, user_id: UserId) -> None:
    """The account disappears, as after a deletion, while its tokens are still around."""
    del app.db.users[user_id]
    del app.db.profiles[user_id]


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def days(n: float) -> timedelta:
    return timedelta(days=n)
