"""Test builders: the use cases as the container builds them on the `test` profile, and ready-made users."""

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from dependency_injector import providers

from adapters.memory.clock import FixedClock
from adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from adapters.memory.export_store import MemoryExportStore
from adapters.memory.hasher import MemoryPasswordHasher
from adapters.memory.mailer import MemoryMailer
from adapters.memory.queue import MemoryJobQueue
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
from domain.jobs import Job
from domain.passwords import PasswordPolicy
from domain.sessions import SessionPolicy
from domain.users import Role, User
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings

# 64 bytes, so that tokens signed with it under HS512 raise no key-length warning either.
SECRET = "inkwell-unit-tests-secret-0123456789-abcdefghijklmnopqrstuvwxyz!!"
ISSUER = "inkwell"
PASSWORD = "correct horse battery"
FRONTEND_URL = "https://conduit.example"


def settings_for_tests(**overrides: object) -> Settings:
    """The `test` profile with fixed secrets; nothing is read from the environment or a .env file."""
    values: dict[str, object] = {
        "inkwell_profile": "test", "jwt_secret": SECRET, "jwt_issuer": ISSUER,
        "password_pepper": "unit-tests-pepper-of-at-least-32-bytes!!", "frontend_url": FRONTEND_URL,
        "log_level": "WARNING",
        # These tests sign in far more often than a person would; the rate-limit tests turn limits on.
        "rate_limits_enabled": False,
    }
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


DEFAULT_SETTINGS = settings_for_tests()


@dataclass
class App:
    """The use cases as production wires them, on the in-memory adapters of the `test` profile, with a
    clock that stands still and, where a test says so, another hasher or policy."""

    clock: FixedClock = field(default_factory=FixedClock)
    hasher: PasswordHasher = field(default_factory=MemoryPasswordHasher)
    policy: SessionPolicy = field(default_factory=SessionPolicy)
    passwords: PasswordPolicy = field(default_factory=PasswordPolicy)
    settings: Settings = field(default_factory=lambda: DEFAULT_SETTINGS)
    container: Container = field(init=False)
    _twin: "App | None" = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.container = build_container(self.settings)
        self.container.clock.override(providers.Object(self.clock))
        self.container.security.hasher.override(providers.Object(self.hasher))
        self.container.session_policy.override(providers.Object(self.policy))
        self.container.password_policy.override(providers.Object(self.passwords))

    @property
    def db(self) -> MemoryDatabase:
        database: MemoryDatabase = self.container.storage.database()
        return database

    @property
    def store(self) -> MemoryTokenStore:
        store: MemoryTokenStore = self.container.tokens.store()
        return store

    @property
    def codec(self) -> JwtCodec:
        codec: JwtCodec = self.container.codec()
        return codec

    @property
    def mailer(self) -> MemoryMailer:
        mailer: MemoryMailer = self.container.mail.mailer()
        return mailer

    @property
    def queue(self) -> MemoryJobQueue:
        queue: MemoryJobQueue = self.container.queue.queue()
        return queue

    @property
    def exports(self) -> MemoryExportStore:
        store: MemoryExportStore = self.container.exports.store()
        return store

    def uow(self) -> MemoryUnitOfWork:
        uow: MemoryUnitOfWork = self.container.storage.uow()
        return uow

    def sessions(self) -> SessionIssuer:
        sessions: SessionIssuer = self.container.sessions()
        return sessions

    async def run_jobs(self) -> int:
        """Relay and run every job that is due, and those they queue, until none is left; return how many ran."""
        ran = 0
        while True:
            await self.container.relay_jobs()()
            done = await self.queue.run_waiting(self.container.run_job())
            if not done:
                return ran
            ran += done

    def register(self, uow: MemoryUnitOfWork | None = None) -> RegisterUser:
        return self.container.register_user(**({"uow": uow} if uow else {}))  # type: ignore[no-any-return]

    def create_admin(self, uow: MemoryUnitOfWork | None = None) -> CreateAdmin:
        return self.container.create_admin(**({"uow": uow} if uow else {}))  # type: ignore[no-any-return]

    def update_user(self, uow: MemoryUnitOfWork | None = None) -> UpdateUser:
        return self.container.update_user(**({"uow": uow} if uow else {}))  # type: ignore[no-any-return]

    def log_in(self) -> LogIn:
        return self.container.log_in()  # type: ignore[no-any-return]

    def refresh(self) -> RefreshSession:
        return self.container.refresh_session()  # type: ignore[no-any-return]

    def authenticate(self) -> Authenticate:
        return self.container.authenticate()  # type: ignore[no-any-return]

    def log_out(self) -> LogOut:
        return self.container.log_out()  # type: ignore[no-any-return]

    def log_out_everywhere(self) -> LogOutEverywhere:
        return self.container.log_out_everywhere()  # type: ignore[no-any-return]

    def get_current_user(self) -> GetCurrentUser:
        return self.container.get_current_user()  # type: ignore[no-any-return]

    def get_profile(self) -> GetProfile:
        return self.container.get_profile()  # type: ignore[no-any-return]

    def create_article(self) -> CreateArticle:
        return self.container.create_article()  # type: ignore[no-any-return]

    def update_article(self) -> UpdateArticle:
        return self.container.update_article()  # type: ignore[no-any-return]

    def delete_article(self) -> DeleteArticle:
        return self.container.delete_article()  # type: ignore[no-any-return]

    def get_article(self) -> GetArticle:
        return self.container.get_article()  # type: ignore[no-any-return]

    def list_articles(self) -> ListArticles:
        return self.container.list_articles()  # type: ignore[no-any-return]

    def feed(self) -> Feed:
        return self.container.feed()  # type: ignore[no-any-return]

    def favorite_article(self) -> FavoriteArticle:
        return self.container.favorite_article()  # type: ignore[no-any-return]

    def unfavorite_article(self) -> UnfavoriteArticle:
        return self.container.unfavorite_article()  # type: ignore[no-any-return]

    def add_comment(self) -> AddComment:
        return self.container.add_comment()  # type: ignore[no-any-return]

    def list_comments(self) -> ListComments:
        return self.container.list_comments()  # type: ignore[no-any-return]

    def delete_comment(self) -> DeleteComment:
        return self.container.delete_comment()  # type: ignore[no-any-return]

    def follow_user(self) -> FollowUser:
        return self.container.follow_user()  # type: ignore[no-any-return]

    def unfollow_user(self) -> UnfollowUser:
        return self.container.unfollow_user()  # type: ignore[no-any-return]

    def list_tags(self) -> ListTags:
        return self.container.list_tags()  # type: ignore[no-any-return]

    def fork(self) -> "App":
        """A copy of the stored state (database and token store) on the same clock, to try a destructive
        action on, such as spending a refresh token, without touching this App. Forking again resets the
        previous copy: a container is costly to build, so the twin is built once and then re-seeded."""
        if self._twin is None:
            self._twin = App(clock=self.clock, hasher=self.hasher, policy=self.policy, passwords=self.passwords,
                             settings=self.settings)
        twin, memo = self._twin, {id(self.clock): self.clock}
        # The families' own providers, on which their other providers depend, not the container's stand-ins.
        storage, tokens = twin.container.storage.last_overriding(), twin.container.tokens.last_overriding()
        for provider, value in ((storage.database, self.db), (tokens.store, self.store)):
            if provider.overridden:
                provider.reset_last_overriding()
            provider.override(providers.Object(copy.deepcopy(value, memo)))
        for container in (storage, tokens, twin.container):
            container.reset_singletons()
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


def jobs_of(app: App, job_type: str) -> list[Job]:
    """The jobs of one type in the in-memory database, oldest first."""
    return sorted((job for job in app.db.jobs.values() if job.type == job_type), key=lambda job: job.created_at)


def mailed_token(app: App, template: str) -> str:
    """The token in the link of the last mail of `template` sent (see `application.links`)."""
    from urllib.parse import parse_qs, urlsplit

    link = next(mail.link for mail in reversed(app.mailer.sent) if mail.template == template)
    assert link is not None
    [token] = parse_qs(urlsplit(link).query)["token"]
    return token
