"""The composition root: the one place that knows which adapter serves which port in each profile.

A profile picks one adapter family per kind of port (`FAMILIES`); the use cases are declared once,
against the families' providers, whatever was picked.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from dependency_injector import containers, providers

from adapters.rate_limiter import LimitsRateLimiter
from adapters.system_clock import SystemClock
from adapters.tokens.jwt_codec import JwtCodec
from application.email_tokens import EmailTokens
from application.jobs.catalog import (
    JOB_TYPES,
    BuildExport,
    FanOutNewArticle,
    NotifyFollowers,
    SendPasswordChangedMail,
    SendPasswordResetMail,
    SendVerificationMail,
    tuned,
)
from application.jobs.lifecycle import JobLifecycle
from application.jobs.running import JobRunner, PerformJob
from application.links import FrontendLinks
from application.ports.health import DependencyProbe
from application.rate_limits import RateLimits, Rule
from application.sessions import SessionIssuer
from application.use_cases.admin.change_user_access import ChangeUserAccess
from application.use_cases.admin.create_admin import CreateAdmin
from application.use_cases.admin.list_audit_entries import ListAuditEntries
from application.use_cases.admin.list_users import ListUsers
from application.use_cases.admin.revoke_sessions import RevokeSessions
from application.use_cases.articles.create_article import CreateArticle
from application.use_cases.articles.delete_article import DeleteArticle
from application.use_cases.articles.favorite_article import FavoriteArticle
from application.use_cases.articles.feed import Feed
from application.use_cases.articles.get_article import GetArticle
from application.use_cases.articles.list_articles import ListArticles
from application.use_cases.articles.unfavorite_article import UnfavoriteArticle
from application.use_cases.articles.update_article import UpdateArticle
from application.use_cases.auth.authenticate import Authenticate
from application.use_cases.auth.forgot_password import ForgotPassword
from application.use_cases.auth.log_in import LogIn
from application.use_cases.auth.log_out import LogOut
from application.use_cases.auth.log_out_everywhere import LogOutEverywhere
from application.use_cases.auth.refresh_session import RefreshSession
from application.use_cases.auth.register import RegisterUser
from application.use_cases.auth.resend_verification import ResendVerification
from application.use_cases.auth.reset_password import ResetPassword
from application.use_cases.auth.verify_email import VerifyEmail
from application.use_cases.comments.add_comment import AddComment
from application.use_cases.comments.delete_comment import DeleteComment
from application.use_cases.comments.list_comments import ListComments
from application.use_cases.exports.build_export import BuildExportHandler
from application.use_cases.exports.download_export import DownloadExport
from application.use_cases.exports.purge_exports import PurgeExports
from application.use_cases.exports.request_export import RequestExport
from application.use_cases.jobs.get_job import GetJob
from application.use_cases.jobs.list_jobs import ListJobs
from application.use_cases.jobs.recover_jobs import RecoverJobs
from application.use_cases.jobs.relay_jobs import RelayJobs
from application.use_cases.jobs.requeue_job import RequeueJob
from application.use_cases.mail.fan_out_new_article import FanOutNewArticleHandler
from application.use_cases.mail.notify_followers import NotifyFollowersHandler
from application.use_cases.mail.send_password_changed_mail import SendPasswordChangedMailHandler
from application.use_cases.mail.send_password_reset_mail import SendPasswordResetMailHandler
from application.use_cases.mail.send_verification_mail import SendVerificationMailHandler
from application.use_cases.profiles.follow_user import FollowUser
from application.use_cases.profiles.get_profile import GetProfile
from application.use_cases.profiles.unfollow_user import UnfollowUser
from application.use_cases.tags.list_tags import ListTags
from application.use_cases.users.get_current_user import GetCurrentUser
from application.use_cases.users.update_user import UpdateUser
from domain.email_tokens import EmailTokenPolicy
from domain.passwords import PasswordPolicy
from domain.sessions import SessionPolicy
from entrypoints.container import families
from entrypoints.settings import Profile, Settings

KINDS = ("storage", "tokens", "queue", "mail", "exports", "security")


def _probes(*groups: list[DependencyProbe]) -> list[DependencyProbe]:
    return [probe for group in groups for probe in group]


class Container(containers.DeclarativeContainer):
    config = providers.Configuration(strict=True)
    clock = providers.Singleton(SystemClock)

    # One family of adapters per kind of port, chosen by the profile in `build_container`.
    storage = providers.DependenciesContainer()
    tokens = providers.DependenciesContainer()
    queue = providers.DependenciesContainer()
    mail = providers.DependenciesContainer()
    exports = providers.DependenciesContainer()
    security = providers.DependenciesContainer()

    # What readiness checks: the services every request may need. Mail is only the worker's concern.
    probes = providers.Callable(_probes, storage.probes, tokens.probes, queue.probes)
    readiness_timeout = providers.Callable(float, config.readiness_timeout)

    codec = providers.Singleton(JwtCodec, secret=config.jwt_secret, issuer=config.jwt_issuer, clock=clock)
    password_policy = providers.Singleton(PasswordPolicy, refuse_common=config.password_refuse_common)
    session_policy = providers.Singleton(
        SessionPolicy, access_ttl=config.access_ttl, refresh_ttl=config.refresh_ttl,
        max_session_age=config.max_session_age,
    )
    email_token_policy = providers.Singleton(
        EmailTokenPolicy, verify_email_ttl=config.verify_email_ttl, reset_password_ttl=config.reset_password_ttl
    )
    sessions = providers.Singleton(
        SessionIssuer, codec=codec, store=tokens.store, clock=clock, policy=session_policy,
        lasting_access_ttl=config.realworld_token_ttl,
    )
    email_tokens = providers.Singleton(EmailTokens, codec=codec, clock=clock, policy=email_token_policy)
    links = providers.Singleton(FrontendLinks, config.frontend_url)
    job_types = providers.Singleton(
        tuned, JOB_TYPES, max_attempts=config.job_max_attempts, min_backoff=config.job_min_backoff,
        max_backoff=config.job_max_backoff,
    )
    uow = storage.uow
    hasher = security.hasher
    rate_limiter = providers.Singleton(LimitsRateLimiter, tokens.limits_storage, config.rate_limits.rules)
    rate_limits = providers.Singleton(RateLimits, rate_limiter, enabled=config.rate_limits.enabled)

    # Accounts and sessions
    register_user = providers.Factory(
        RegisterUser, uow=uow, hasher=hasher, policy=password_policy, clock=clock, sessions=sessions,
        limits=rate_limits,
    )
    log_in = providers.Factory(LogIn, uow=uow, hasher=hasher, sessions=sessions, limits=rate_limits)
    refresh_session = providers.Factory(
        RefreshSession, codec=codec, principals=storage.principals, sessions=sessions, limits=rate_limits,
        uow=uow,
    )
    log_out = providers.Factory(LogOut, store=tokens.store, uow=uow)
    log_out_everywhere = providers.Factory(LogOutEverywhere, uow=uow, store=tokens.store)
    authenticate = providers.Factory(Authenticate, codec=codec, store=tokens.store, principals=storage.principals)
    get_current_user = providers.Factory(GetCurrentUser, accounts=storage.accounts, sessions=sessions)
    update_user = providers.Factory(
        UpdateUser, uow=uow, hasher=hasher, policy=password_policy, store=tokens.store, clock=clock,
        sessions=sessions,
    )
    verify_email = providers.Factory(VerifyEmail, uow=uow, tokens=email_tokens, clock=clock)
    resend_verification = providers.Factory(ResendVerification, uow=uow, limits=rate_limits)
    forgot_password = providers.Factory(ForgotPassword, uow=uow, limits=rate_limits)
    reset_password = providers.Factory(
        ResetPassword, uow=uow, tokens=email_tokens, hasher=hasher, policy=password_policy, store=tokens.store,
        clock=clock,
    )
    create_admin = providers.Factory(CreateAdmin, uow=uow, hasher=hasher, policy=password_policy, clock=clock)

    # Administration of users, and the audit log
    list_users = providers.Factory(ListUsers, users=storage.managed_users)
    change_user_access = providers.Factory(
        ChangeUserAccess, uow=uow, users=storage.managed_users, store=tokens.store, clock=clock
    )
    revoke_sessions = providers.Factory(RevokeSessions, uow=uow, store=tokens.store)
    list_audit_entries = providers.Factory(ListAuditEntries, audit=storage.audit_entries)

    # Profiles, articles, comments, tags
    get_profile = providers.Factory(GetProfile, accounts=storage.accounts)
    follow_user = providers.Factory(FollowUser, uow=uow, accounts=storage.accounts)
    unfollow_user = providers.Factory(UnfollowUser, uow=uow, accounts=storage.accounts)
    create_article = providers.Factory(CreateArticle, uow=uow, articles=storage.articles, clock=clock)
    get_article = providers.Factory(GetArticle, articles=storage.articles)
    update_article = providers.Factory(UpdateArticle, uow=uow, articles=storage.articles, clock=clock)
    delete_article = providers.Factory(DeleteArticle, uow=uow)
    list_articles = providers.Factory(ListArticles, articles=storage.articles)
    feed = providers.Factory(Feed, articles=storage.articles)
    favorite_article = providers.Factory(FavoriteArticle, uow=uow, articles=storage.articles)
    unfavorite_article = providers.Factory(UnfavoriteArticle, uow=uow, articles=storage.articles)
    add_comment = providers.Factory(AddComment, uow=uow, comments=storage.comments, clock=clock)
    list_comments = providers.Factory(ListComments, comments=storage.comments)
    delete_comment = providers.Factory(DeleteComment, uow=uow)
    list_tags = providers.Factory(ListTags, tags=storage.tags)

    # Jobs as their owners and administrators see them
    request_export = providers.Factory(RequestExport, uow=uow, jobs=storage.jobs)
    get_job = providers.Factory(GetJob, jobs=storage.jobs)
    download_export = providers.Factory(DownloadExport, jobs=storage.jobs, store=exports.store, clock=clock)
    list_jobs = providers.Factory(ListJobs, jobs=storage.jobs)
    requeue_job = providers.Factory(RequeueJob, uow=uow, jobs=storage.jobs, clock=clock)

    # Jobs as the workers run them: one handler per job type
    job_handlers = providers.Dict({
        SendVerificationMail.TYPE: providers.Factory(
            SendVerificationMailHandler, uow=uow, tokens=email_tokens, links=links, mailer=mail.mailer,
            expires_hours=config.verify_email_ttl_hours,
        ),
        SendPasswordResetMail.TYPE: providers.Factory(
            SendPasswordResetMailHandler, uow=uow, tokens=email_tokens, links=links, mailer=mail.mailer,
            expires_minutes=config.reset_password_ttl_minutes,
        ),
        SendPasswordChangedMail.TYPE: providers.Factory(
            SendPasswordChangedMailHandler, recipients=storage.recipients, mailer=mail.mailer
        ),
        FanOutNewArticle.TYPE: providers.Factory(
            FanOutNewArticleHandler, uow=uow, recipients=storage.recipients, clock=clock
        ),
        NotifyFollowers.TYPE: providers.Factory(
            NotifyFollowersHandler, recipients=storage.recipients, links=links, mailer=mail.mailer
        ),
        BuildExport.TYPE: providers.Factory(
            BuildExportHandler, data=storage.user_data, store=exports.store, clock=clock, ttl=config.export_ttl
        ),
    })
    job_lifecycle = providers.Factory(
        JobLifecycle, new_uow=uow.provider, clock=clock, types=job_types, lease=config.job_lease
    )
    perform_job = providers.Factory(
        PerformJob, new_uow=uow.provider, lifecycle=job_lifecycle, handlers=job_handlers, types=job_types
    )
    run_job = providers.Factory(JobRunner, lifecycle=job_lifecycle, perform=perform_job)
    relay_jobs = providers.Factory(RelayJobs, uow=uow, queue=queue.queue, clock=clock)
    recover_jobs = providers.Factory(RecoverJobs, uow=uow, clock=clock, types=job_types)
    purge_exports = providers.Factory(PurgeExports, store=exports.store, clock=clock, ttl=config.export_ttl)


@dataclass(frozen=True, slots=True)
class Families:
    """The adapter family a profile uses for each kind of port; each builds its sub-container."""

    storage: Callable[[Container], containers.Container]
    tokens: Callable[[Container], containers.Container]
    queue: Callable[[Container], containers.Container]
    mail: Callable[[Container], containers.Container]
    exports: Callable[[Container], containers.Container]
    security: Callable[[Container], containers.Container]


def _sql(c: Container) -> containers.Container:
    return families.SqlStorage(config=c.config, clock=c.clock)


def _dramatiq(c: Container) -> containers.Container:
    if c.config.broker_url():
        return families.RabbitQueue(config=c.config)
    return families.RedisQueue(config=c.config)


def _mail(c: Container) -> containers.Container:
    """SMTP wherever a server is configured; otherwise .eml files under DATA_DIR/mail."""
    if c.config.smtp.host():
        return families.SmtpMail(config=c.config)
    return families.FileMail(config=c.config)


FAMILIES = {
    Profile.EMBEDDED: Families(
        storage=_sql,
        tokens=lambda c: families.SqlTokens(session_factory=c.storage.session_factory, clock=c.clock),
        queue=lambda c: families.InProcessQueue(config=c.config),
        mail=_mail,
        exports=lambda c: families.FileExports(config=c.config),
        security=lambda c: families.BcryptHashing(config=c.config),
    ),
    Profile.PRODUCTION: Families(
        storage=_sql,
        tokens=lambda c: families.RedisTokens(config=c.config),
        queue=_dramatiq,
        mail=_mail,
        exports=lambda c: families.FileExports(config=c.config),
        security=lambda c: families.BcryptHashing(config=c.config),
    ),
    Profile.TEST: Families(
        storage=lambda c: families.MemoryStorage(clock=c.clock),
        tokens=lambda c: families.MemoryTokens(clock=c.clock),
        queue=lambda c: families.MemoryQueue(),
        mail=lambda c: families.MemoryMail(),
        exports=lambda c: families.MemoryExports(clock=c.clock),
        security=lambda c: families.MemoryHashing(),
    ),
}


def build_container(settings: Settings) -> Container:
    container = Container()
    container.config.from_dict(container_config(settings))
    chosen = FAMILIES[settings.inkwell_profile]
    for kind in KINDS:
        getattr(container, kind).override(getattr(chosen, kind)(container))
    return container


def container_config(settings: Settings) -> dict[str, Any]:
    jwt_secret, pepper = settings.resolved_secrets()
    return {
        "database_url": settings.resolved_database_url(),
        "redis_url": settings.redis_url,
        "database": {
            "connect_timeout": settings.database_connect_timeout_seconds,
            "statement_timeout": settings.database_statement_timeout_seconds,
            "pool_timeout": settings.database_pool_timeout_seconds,
        },
        "redis": {
            "connect_timeout": settings.redis_connect_timeout_seconds,
            "command_timeout": settings.redis_command_timeout_seconds,
        },
        "readiness_timeout": settings.readiness_timeout_seconds,
        "broker_url": settings.broker_url,
        "jwt_secret": jwt_secret,
        "jwt_issuer": settings.jwt_issuer,
        "password_pepper": pepper,
        "bcrypt_rounds": settings.bcrypt_rounds,
        "password_hashing_max_waiting": settings.password_hashing_max_waiting,
        "password_hashing_threads": settings.password_hashing_threads,
        "password_refuse_common": settings.password_refuse_common,
        "rate_limits": {
            "enabled": settings.rate_limits_enabled,
            "rules": {
                Rule.LOG_IN.value: settings.rate_limit_login,
                Rule.REGISTRATION.value: settings.rate_limit_register,
                Rule.REFRESH.value: settings.rate_limit_refresh,
                Rule.MAIL.value: settings.rate_limit_mail,
            },
        },
        "access_ttl": timedelta(seconds=settings.access_token_ttl_seconds),
        "refresh_ttl": timedelta(seconds=settings.refresh_token_ttl_seconds),
        "max_session_age": timedelta(seconds=settings.session_max_age_seconds),
        "realworld_token_ttl": timedelta(seconds=settings.realworld_token_ttl_seconds),
        "verify_email_ttl": timedelta(seconds=settings.verify_email_token_ttl_seconds),
        "verify_email_ttl_hours": max(1, settings.verify_email_token_ttl_seconds // 3600),
        "reset_password_ttl": timedelta(seconds=settings.reset_password_token_ttl_seconds),
        "reset_password_ttl_minutes": max(1, settings.reset_password_token_ttl_seconds // 60),
        "frontend_url": settings.frontend_url,
        "smtp": {
            "host": settings.smtp_host,
            "port": settings.smtp_port,
            "username": settings.smtp_username,
            "password": settings.smtp_password.get_secret_value(),
            "sender": settings.smtp_from,
            "starttls": settings.smtp_starttls,
            "ssl_tls": settings.smtp_ssl_tls,
            "timeout": settings.smtp_timeout_seconds,
        },
        "mail_dir": settings.mail_dir,
        "export_dir": settings.resolved_export_dir,
        "export_ttl": timedelta(seconds=settings.export_ttl_seconds),
        "job_queue_prefix": settings.job_queue_prefix,
        "job_queues": {name: f"{settings.job_queue_prefix}-{t.queue}" for name, t in JOB_TYPES.items()},
        "job_lease": timedelta(seconds=settings.job_lease_seconds),
        "job_republish_after": timedelta(seconds=settings.job_republish_after_seconds),
        "job_max_attempts": settings.job_max_attempts,
        "job_min_backoff": _seconds(settings.job_min_backoff_seconds),
        "job_max_backoff": _seconds(settings.job_max_backoff_seconds),
    }


def _seconds(value: float | None) -> timedelta | None:
    return None if value is None else timedelta(seconds=value)


async def close_resources(container: Container) -> None:
    """Release what the chosen families hold: connection pools, clients, the doorbell's connection."""
    for kind in KINDS:
        await getattr(container, kind).close()
