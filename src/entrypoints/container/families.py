"""Adapter families: each sub-container provides one kind of port with the clients, probes and shutdown
it needs. A profile is a choice of one family per kind (see `entrypoints.container.build_container`).

Every family offers `probes` (what readiness checks) and `close` (what shutdown releases), so that the
container closes and probes whatever was chosen without knowing which it was.
"""

import importlib
from collections.abc import Callable
from functools import partial
from typing import Any

from dependency_injector import containers, providers
from dramatiq.broker import Broker
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from adapters.exports.file_store import FileExportStore
from adapters.memory.admin_queries import MemoryAuditQueries, MemoryManagedUserQueries
from adapters.memory.database import MemoryDatabase, MemoryUnitOfWork
from adapters.memory.export_store import MemoryExportStore
from adapters.memory.hasher import MemoryPasswordHasher
from adapters.memory.job_queries import MemoryJobQueries, MemoryRecipientQueries
from adapters.memory.mailer import MemoryMailer
from adapters.memory.queries import (
    MemoryAccountQueries,
    MemoryArticleQueries,
    MemoryCommentQueries,
    MemoryPrincipalQueries,
    MemoryTagQueries,
)
from adapters.memory.queue import MemoryJobQueue, SleepingDoorbell
from adapters.memory.token_store import MemoryTokenStore
from adapters.memory.user_data import MemoryUserDataQueries
from adapters.probes import RedisProbe
from adapters.queue.brokers import in_process_broker, rabbitmq_broker, redis_broker
from adapters.queue.dramatiq_queue import DramatiqJobQueue
from adapters.queue.probe import BrokerProbe
from adapters.rate_limiter import memory_limits_storage, redis_limits_storage, settle_memory_storage
from adapters.security.bcrypt_hasher import BcryptPasswordHasher
from adapters.sql.doorbell import doorbell_for
from adapters.sql.engine import connections_in_use, create_engine, create_session_factory
from adapters.sql.probes import DatabaseProbe, SchemaProbe
from adapters.sql.queries import (
    SqlAccountQueries,
    SqlArticleQueries,
    SqlCommentQueries,
    SqlJobQueries,
    SqlRecipientQueries,
    SqlTagQueries,
    SqlUserDataQueries,
)
from adapters.sql.queries.audit import SqlAuditQueries
from adapters.sql.queries.managed_users import SqlManagedUserQueries
from adapters.sql.queries.principals import SqlPrincipalQueries
from adapters.sql.reader import SqlReader
from adapters.sql.timeouts import DatabaseTimeouts
from adapters.sql.token_store import SqlTokenStore
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.tokens.redis_store import RedisTokenStore
from application.ports.clock import Clock
from application.ports.jobs import JobDoorbell
from entrypoints.container.clients import redis_client

# Mail (SMTP, templating) and migrations (Alembic, Mako) are imported when first used, not with the
# container: API processes never send mail and rarely migrate, and the two weigh about 20 MB each.


def _deferred(module: str, name: str) -> Callable[..., Any]:
    """A factory of `module.name` that imports the module on its first call."""

    def build(**settings: Any) -> Any:
        return getattr(importlib.import_module(module), name)(**settings)

    return build


_composer = _deferred("adapters.mail.composer", "MailComposer")
_smtp_mailer = _deferred("adapters.mail.smtp_mailer", "SmtpMailer")
_file_mailer = _deferred("adapters.mail.file_mailer", "FileMailer")
_smtp_probe = _deferred("adapters.mail.probe", "SmtpProbe")


async def _migrate(url: str) -> None:
    from adapters.sql.migrations import upgrade_async

    await upgrade_async(url)


async def _nothing_to_do() -> None:
    """In-memory adapters hold no connections and have no schema."""


async def _close_sql(engine: AsyncEngine, reader: SqlReader, doorbell: JobDoorbell) -> None:
    await doorbell.close()
    await reader.close()
    await engine.dispose()


async def _close_hasher(hasher: BcryptPasswordHasher) -> None:
    hasher.close()


async def _close_redis(client: Redis) -> None:
    await client.aclose()


async def _close_broker(broker: Broker) -> None:
    broker.close()


class SqlStorage(containers.DeclarativeContainer):
    """PostgreSQL (psycopg 3) or SQLite (aiosqlite) through SQLAlchemy: the unit of work, every query,
    the doorbell that hears of committed jobs, and the migrations."""

    config = providers.Configuration()
    clock: providers.Dependency[Clock] = providers.Dependency()

    timeouts = providers.Singleton(
        DatabaseTimeouts, connect=config.database.connect_timeout, statement=config.database.statement_timeout,
        pool=config.database.pool_timeout,
    )
    engine = providers.Singleton(create_engine, config.database_url, timeouts=timeouts)
    session_factory = providers.Singleton(create_session_factory, engine)
    uow = providers.Factory(SqlUnitOfWork, session_factory, clock)
    reader = providers.Singleton(SqlReader, config.database_url, timeouts)
    principals = providers.Singleton(SqlPrincipalQueries, reader)
    accounts = providers.Singleton(SqlAccountQueries, reader)
    articles = providers.Singleton(SqlArticleQueries, reader)
    comments = providers.Singleton(SqlCommentQueries, reader)
    tags = providers.Singleton(SqlTagQueries, reader)
    jobs = providers.Singleton(SqlJobQueries, reader)
    recipients = providers.Singleton(SqlRecipientQueries, reader)
    user_data = providers.Singleton(SqlUserDataQueries, reader)
    managed_users = providers.Singleton(SqlManagedUserQueries, reader)
    audit_entries = providers.Singleton(SqlAuditQueries, reader)
    doorbell = providers.Singleton(doorbell_for, config.database_url)
    # Read when /metrics is scraped: connections each pool has lent out.
    pools_in_use = providers.Dict(
        write=providers.Factory(partial, connections_in_use, engine), read=reader.provided.connections_in_use
    )

    # One schema probe per process: it remembers what it found (see SchemaProbe).
    schema_probe = providers.Singleton(SchemaProbe, engine)
    probes = providers.List(providers.Factory(DatabaseProbe, engine), schema_probe)
    migrate = providers.Callable(_migrate, config.database_url)
    close = providers.Callable(_close_sql, engine, reader, doorbell)


class MemoryStorage(containers.DeclarativeContainer):
    """Everything in one process's memory: the `test` profile."""

    clock: providers.Dependency[Clock] = providers.Dependency()

    database = providers.Singleton(MemoryDatabase)
    uow = providers.Factory(MemoryUnitOfWork, database, clock)
    principals = providers.Singleton(MemoryPrincipalQueries, database)
    accounts = providers.Singleton(MemoryAccountQueries, database)
    articles = providers.Singleton(MemoryArticleQueries, database)
    comments = providers.Singleton(MemoryCommentQueries, database)
    tags = providers.Singleton(MemoryTagQueries, database)
    jobs = providers.Singleton(MemoryJobQueries, database)
    recipients = providers.Singleton(MemoryRecipientQueries, database)
    user_data = providers.Singleton(MemoryUserDataQueries, database)
    managed_users = providers.Singleton(MemoryManagedUserQueries, database)
    audit_entries = providers.Singleton(MemoryAuditQueries, database)
    doorbell = providers.Singleton(SleepingDoorbell)
    pools_in_use = providers.Dict()

    probes = providers.List()
    migrate = providers.Callable(_nothing_to_do)
    close = providers.Callable(_nothing_to_do)


class SqlTokens(containers.DeclarativeContainer):
    """Sessions and revocations in the SQL database, so the embedded default keeps them across restarts."""

    session_factory: providers.Dependency[async_sessionmaker[AsyncSession]] = providers.Dependency()
    clock: providers.Dependency[Clock] = providers.Dependency()

    store = providers.Singleton(SqlTokenStore, session_factory, clock)
    # The embedded default is one process: its attempts are counted in its memory.
    limits_storage = providers.Singleton(memory_limits_storage)
    probes = providers.List()
    close = providers.Callable(settle_memory_storage, limits_storage)


class RedisTokens(containers.DeclarativeContainer):
    config = providers.Configuration()

    client = providers.Singleton(
        redis_client, config.redis_url, connect_timeout=config.redis.connect_timeout,
        command_timeout=config.redis.command_timeout,
    )
    store = providers.Singleton(RedisTokenStore, client)
    limits_storage = providers.Singleton(redis_limits_storage, client)  # shared by every API process
    probes = providers.List(providers.Factory(RedisProbe, client))
    close = providers.Callable(_close_redis, client)


class MemoryTokens(containers.DeclarativeContainer):
    clock: providers.Dependency[Clock] = providers.Dependency()

    store = providers.Singleton(MemoryTokenStore, clock)
    limits_storage = providers.Singleton(memory_limits_storage)
    probes = providers.List()
    close = providers.Callable(settle_memory_storage, limits_storage)


# The Dramatiq families publish each job as a message; they differ in the broker. `forgets_on_restart`
# says whether messages in flight vanish when the process stops, so that their jobs are published again.
# (Providers are bound when a container class is made, so each family declares its own, not a subclass.)


class RedisQueue(containers.DeclarativeContainer):
    config = providers.Configuration()

    broker = providers.Singleton(
        redis_broker, config.redis_url, namespace=config.job_queue_prefix,
        connect_timeout=config.redis.connect_timeout, command_timeout=config.redis.command_timeout,
    )
    queue = providers.Singleton(DramatiqJobQueue, broker, config.job_queues)
    probes = providers.List(providers.Factory(BrokerProbe, broker))
    close = providers.Callable(_close_broker, broker)
    forgets_on_restart = providers.Object(False)


class RabbitQueue(containers.DeclarativeContainer):
    config = providers.Configuration()

    broker = providers.Singleton(rabbitmq_broker, config.broker_url)
    queue = providers.Singleton(DramatiqJobQueue, broker, config.job_queues)
    probes = providers.List(providers.Factory(BrokerProbe, broker))
    close = providers.Callable(_close_broker, broker)
    forgets_on_restart = providers.Object(False)


class InProcessQueue(containers.DeclarativeContainer):
    """The embedded default: no broker service; the worker threads of `inkwell serve` consume."""

    config = providers.Configuration()

    broker = providers.Singleton(in_process_broker)
    queue = providers.Singleton(DramatiqJobQueue, broker, config.job_queues)
    probes = providers.List()
    close = providers.Callable(_close_broker, broker)
    forgets_on_restart = providers.Object(True)


class MemoryQueue(containers.DeclarativeContainer):
    """Published jobs wait until a test runs them."""

    broker: providers.Object[None] = providers.Object(None)
    queue = providers.Singleton(MemoryJobQueue)
    probes = providers.List()
    close = providers.Callable(_nothing_to_do)
    forgets_on_restart = providers.Object(False)


class SmtpMail(containers.DeclarativeContainer):
    config = providers.Configuration()

    composer = providers.Singleton(
        _composer, product="Inkwell", frontend_url=config.frontend_url, sender=config.smtp.sender
    )
    mailer = providers.Singleton(
        _smtp_mailer, composer=composer, host=config.smtp.host, port=config.smtp.port, username=config.smtp.username,
        password=config.smtp.password, starttls=config.smtp.starttls, ssl_tls=config.smtp.ssl_tls,
        timeout=config.smtp.timeout,
    )
    probes = providers.List(providers.Factory(
        _smtp_probe, host=config.smtp.host, port=config.smtp.port, starttls=config.smtp.starttls,
        ssl_tls=config.smtp.ssl_tls, timeout=config.smtp.timeout,
    ))
    close = providers.Callable(_nothing_to_do)


class FileMail(containers.DeclarativeContainer):
    """Mails written as .eml files, with a log line carrying each one's link: the embedded default."""

    config = providers.Configuration()

    composer = providers.Singleton(
        _composer, product="Inkwell", frontend_url=config.frontend_url, sender=config.smtp.sender
    )
    mailer = providers.Singleton(_file_mailer, directory=config.mail_dir, composer=composer)
    probes = providers.List()
    close = providers.Callable(_nothing_to_do)


class MemoryMail(containers.DeclarativeContainer):
    mailer = providers.Singleton(MemoryMailer)
    probes = providers.List()
    close = providers.Callable(_nothing_to_do)


class FileExports(containers.DeclarativeContainer):
    config = providers.Configuration()

    store = providers.Singleton(FileExportStore, config.export_dir)
    close = providers.Callable(_nothing_to_do)


class MemoryExports(containers.DeclarativeContainer):
    clock: providers.Dependency[Clock] = providers.Dependency()

    store = providers.Singleton(MemoryExportStore, clock)
    close = providers.Callable(_nothing_to_do)


class BcryptHashing(containers.DeclarativeContainer):
    config = providers.Configuration()

    hasher = providers.Singleton(
        BcryptPasswordHasher, pepper=config.password_pepper, rounds=config.bcrypt_rounds,
        max_waiting=config.password_hashing_max_waiting, threads=config.password_hashing_threads,
    )
    load = hasher.provided  # hashes running and waiting, read when /metrics is scraped
    close = providers.Callable(_close_hasher, hasher)


class MemoryHashing(containers.DeclarativeContainer):
    hasher = providers.Singleton(MemoryPasswordHasher)
    load: providers.Object[None] = providers.Object(None)  # hashes nothing expensive: nothing to watch
    close = providers.Callable(_nothing_to_do)
