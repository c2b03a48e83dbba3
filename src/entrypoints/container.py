"""The composition root: the one place that knows which adapter serves which port in each profile."""

from datetime import timedelta
from typing import Any

from dependency_injector import containers, providers
from redis.asyncio import Redis

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
from adapters.probes import DatabaseProbe, RedisProbe
from adapters.security.bcrypt_hasher import BcryptPasswordHasher
from adapters.sql.engine import create_engine, create_session_factory
from adapters.sql.migrations import is_up_to_date, upgrade_async
from adapters.sql.principals import SqlPrincipalQueries
from adapters.sql.queries import SqlAccountQueries, SqlArticleQueries, SqlCommentQueries, SqlTagQueries
from adapters.sql.token_store import SqlTokenStore
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from adapters.tokens.jwt_codec import JwtCodec
from adapters.tokens.redis_store import RedisTokenStore
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
from application.use_cases.auth.register import RegisterUser
from application.use_cases.comments.add_comment import AddComment
from application.use_cases.comments.delete_comment import DeleteComment
from application.use_cases.comments.list_comments import ListComments
from application.use_cases.profiles.follow_user import FollowUser
from application.use_cases.profiles.get_profile import GetProfile
from application.use_cases.profiles.unfollow_user import UnfollowUser
from application.use_cases.tags.list_tags import ListTags
from application.use_cases.users.get_current_user import GetCurrentUser
from application.use_cases.users.update_user import UpdateUser
from domain.passwords import PasswordPolicy
from domain.sessions import SessionPolicy
from entrypoints.settings import Profile, Settings

# Which adapter family serves each kind of port, per profile.
WIRING = {
    Profile.EMBEDDED: {"storage": "sql", "tokens": "sql", "hasher": "bcrypt"},
    Profile.PRODUCTION: {"storage": "sql", "tokens": "redis", "hasher": "bcrypt"},
    Profile.TEST: {"storage": "memory", "tokens": "memory", "hasher": "memory"},
}


async def _nothing_to_migrate() -> None:
    """In-memory state has no schema."""


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)

    clock = providers.Singleton(SystemClock)

    engine = providers.Singleton(create_engine, config.database_url)
    session_factory = providers.Singleton(create_session_factory, engine)
    memory_database = providers.Singleton(MemoryDatabase)
    redis = providers.Singleton(Redis.from_url, config.redis_url)

    uow = providers.Selector(
        config.wiring.storage,
        sql=providers.Factory(SqlUnitOfWork, session_factory),
        memory=providers.Factory(MemoryUnitOfWork, memory_database),
    )
    principals = providers.Selector(
        config.wiring.storage,
        sql=providers.Singleton(SqlPrincipalQueries, session_factory),
        memory=providers.Singleton(MemoryPrincipalQueries, memory_database),
    )
    accounts = providers.Selector(
        config.wiring.storage,
        sql=providers.Singleton(SqlAccountQueries, session_factory),
        memory=providers.Singleton(MemoryAccountQueries, memory_database),
    )
    article_queries = providers.Selector(
        config.wiring.storage,
        sql=providers.Singleton(SqlArticleQueries, session_factory),
        memory=providers.Singleton(MemoryArticleQueries, memory_database),
    )
    comment_queries = providers.Selector(
        config.wiring.storage,
        sql=providers.Singleton(SqlCommentQueries, session_factory),
        memory=providers.Singleton(MemoryCommentQueries, memory_database),
    )
    tag_queries = providers.Selector(
        config.wiring.storage,
        sql=providers.Singleton(SqlTagQueries, session_factory),
        memory=providers.Singleton(MemoryTagQueries, memory_database),
    )
    token_store = providers.Selector(
        config.wiring.tokens,
        sql=providers.Singleton(SqlTokenStore, session_factory, clock),
        redis=providers.Singleton(RedisTokenStore, redis),
        memory=providers.Singleton(MemoryTokenStore, clock),
    )
    hasher = providers.Selector(
        config.wiring.hasher,
        bcrypt=providers.Singleton(
            BcryptPasswordHasher, pepper=config.password_pepper, rounds=config.bcrypt_rounds.as_int()
        ),
        memory=providers.Singleton(MemoryPasswordHasher),
    )
    probes = providers.Selector(
        config.wiring.tokens,
        sql=providers.List(providers.Factory(DatabaseProbe, engine)),
        redis=providers.List(providers.Factory(DatabaseProbe, engine), providers.Factory(RedisProbe, redis)),
        memory=providers.List(),
    )

    migrate = providers.Selector(
        config.wiring.storage,
        sql=providers.Callable(upgrade_async, config.database_url),
        memory=providers.Callable(_nothing_to_migrate),
    )
    schema_is_current = providers.Callable(is_up_to_date, config.database_url)

    codec = providers.Singleton(JwtCodec, secret=config.jwt_secret, issuer=config.jwt_issuer, clock=clock)
    password_policy = providers.Singleton(PasswordPolicy, refuse_common=config.password_refuse_common)
    session_policy = providers.Singleton(
        SessionPolicy,
        access_ttl=config.access_ttl,
        refresh_ttl=config.refresh_ttl,
        max_session_age=config.max_session_age,
    )
    sessions = providers.Singleton(
        SessionIssuer, codec=codec, store=token_store, clock=clock, policy=session_policy
    )

    register_user = providers.Factory(
        RegisterUser, uow=uow, hasher=hasher, policy=password_policy, clock=clock, sessions=sessions
    )
    log_in = providers.Factory(LogIn, uow=uow, hasher=hasher, sessions=sessions)
    refresh_session = providers.Factory(RefreshSession, codec=codec, principals=principals, sessions=sessions)
    log_out = providers.Factory(LogOut, store=token_store)
    log_out_everywhere = providers.Factory(LogOutEverywhere, uow=uow, store=token_store, clock=clock)
    authenticate = providers.Factory(Authenticate, codec=codec, store=token_store, principals=principals)
    get_current_user = providers.Factory(GetCurrentUser, accounts=accounts)
    update_user = providers.Factory(
        UpdateUser, uow=uow, hasher=hasher, policy=password_policy, store=token_store, clock=clock
    )
    get_profile = providers.Factory(GetProfile, accounts=accounts)
    create_admin = providers.Factory(CreateAdmin, uow=uow, hasher=hasher, policy=password_policy, clock=clock)
    follow_user = providers.Factory(FollowUser, uow=uow, accounts=accounts)
    unfollow_user = providers.Factory(UnfollowUser, uow=uow, accounts=accounts)

    create_article = providers.Factory(CreateArticle, uow=uow, articles=article_queries, clock=clock)
    get_article = providers.Factory(GetArticle, articles=article_queries)
    update_article = providers.Factory(UpdateArticle, uow=uow, articles=article_queries, clock=clock)
    delete_article = providers.Factory(DeleteArticle, uow=uow)
    list_articles = providers.Factory(ListArticles, articles=article_queries)
    feed = providers.Factory(Feed, articles=article_queries)
    favorite_article = providers.Factory(FavoriteArticle, uow=uow, articles=article_queries)
    unfavorite_article = providers.Factory(UnfavoriteArticle, uow=uow, articles=article_queries)
    add_comment = providers.Factory(AddComment, uow=uow, comments=comment_queries, clock=clock)
    list_comments = providers.Factory(ListComments, comments=comment_queries)
    delete_comment = providers.Factory(DeleteComment, uow=uow)
    list_tags = providers.Factory(ListTags, tags=tag_queries)


def build_container(settings: Settings) -> Container:
    container = Container()
    container.config.from_dict(container_config(settings))
    return container


def container_config(settings: Settings) -> dict[str, Any]:
    jwt_secret, pepper = settings.resolved_secrets()
    return {
        "wiring": WIRING[settings.inkwell_profile],
        "database_url": settings.resolved_database_url(),
        "redis_url": settings.redis_url,
        "jwt_secret": jwt_secret,
        "jwt_issuer": settings.jwt_issuer,
        "password_pepper": pepper,
        "bcrypt_rounds": settings.bcrypt_rounds,
        "password_refuse_common": settings.password_refuse_common,
        "access_ttl": timedelta(seconds=settings.access_token_ttl_seconds),
        "refresh_ttl": timedelta(seconds=settings.refresh_token_ttl_seconds),
        "max_session_age": timedelta(seconds=settings.session_max_age_seconds),
    }


async def close_resources(container: Container) -> None:
    """Release the clients that the profile uses: the engine's pool and the Redis connections."""
    wiring = container.config.wiring()
    if wiring["storage"] == "sql":
        await container.engine().dispose()
    if wiring["tokens"] == "redis":
        await container.redis().aclose()
