"""The SQL schema: the only description of the tables, and the target Alembic migrations are checked against."""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    Uuid,
    func,
    text,
)

from domain.articles import SLUG_MAX_LENGTH, TAG_MAX_LENGTH, TITLE_MAX_LENGTH
from domain.audit import CLIENT_ADDRESS_MAX_LENGTH, REQUEST_ID_MAX_LENGTH
from domain.audit import TARGET_MAX_LENGTH as AUDIT_TARGET_MAX_LENGTH

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC and read back timezone-aware in UTC, with microseconds, on every backend.

    PostgreSQL keeps `timestamptz`; SQLite has no such type and hands back naive values (STACK G6),
    so naive results are UTC by construction here. Naive inputs are refused rather than guessed.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware one")
        value = value.astimezone(UTC)
        # SQLite compares the stored text; one fixed, offset-free format keeps that chronological.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    # The domain lower-cases emails, so a plain unique constraint is case-insensitive in effect.
    Column("email", String(254), nullable=False, unique=True),
    Column("username", String(64), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("email_verified_at", UtcDateTime, nullable=True),
    Column("credentials_version", Integer, nullable=False, server_default="0"),
    Column("kept_session_id", Uuid, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Kept by triggers (migration 0004), for the totals of an author's and a fan's listings.
    Column("articles_count", Integer, nullable=False, server_default="0"),
    Column("favorites_count", Integer, nullable=False, server_default="0"),
)
# Usernames keep the case their owner chose but are unique whatever the case.
USERNAME_INDEX = "uq_users_username_lower"
Index(USERNAME_INDEX, func.lower(users.c.username), unique=True)
# The administrators' list of users, oldest first (migration 0006).
Index("ix_users_created_at_id", users.c.created_at, users.c.id)
EMAIL_CONSTRAINT = "uq_users_email"

profiles = Table(
    "profiles",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("bio", Text, nullable=True),
    Column("image", String(2048), nullable=True),
)

# Refresh families of the embedded token store: a row is a live session, its absence a dead one.
# No foreign key to users: registration opens the session before it stores the user, so that a
# token store that is down leaves no account behind (a session of a user never stored admits nobody).
sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False, index=True),
    Column("live_token_id", String(64), nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
)

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("token_id", String(64), primary_key=True),
    # Indexed so that expired revocations can be purged without a full scan.
    Column("until", UtcDateTime, nullable=False, index=True),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("slug", String(SLUG_MAX_LENGTH), nullable=False, unique=True),
    Column("author_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(TITLE_MAX_LENGTH), nullable=False),
    Column("description", Text, nullable=False),
    Column("body", Text, nullable=False),
    # The article's tags in their order: a copy of the link rows, written in the same transaction,
    # so that an article or a whole page is read without a query for its tags.
    Column("tag_list", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
SLUG_CONSTRAINT = "uq_articles_slug"
# Listings are newest first with the id as tie-break; these serve the whole list and one author's.
Index("ix_articles_created_at_id", articles.c.created_at.desc(), articles.c.id.desc())
Index("ix_articles_author_id_created_at_id", articles.c.author_id, articles.c.created_at.desc(), articles.c.id.desc())

tags = Table(
    "tags",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(TAG_MAX_LENGTH), nullable=False, unique=True),
    # Kept by a trigger (migration 0004), for the total of a tag's listing.
    Column("articles_count", Integer, nullable=False, server_default="0"),
)

# One row (id 1), kept by a trigger (migration 0004): the number of articles, the total of the plain listing.
article_totals = Table(
    "article_totals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("articles", BigInteger, nullable=False),
)

article_tags = Table(
    "article_tags",
    metadata,
    Column("article_id", Uuid, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    # A copy of the article's creation time (which never changes), so that a tag's page, newest first,
    # is one range of the index below rather than a walk through every article.
    Column("article_created_at", UtcDateTime, nullable=False),
    # From a tag to its articles (the tag counts, a tag among other filters); the key serves the other way.
    Index(None, "tag_id", "article_id"),
)
Index("ix_article_tags_tag_id_newest", article_tags.c.tag_id, article_tags.c.article_created_at.desc(),
      article_tags.c.article_id.desc())

comments = Table(
    "comments",
    metadata,
    # RealWorld shows integer ids. AUTOINCREMENT keeps SQLite from handing out a deleted comment's id again.
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("article_id", Uuid, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # An article's comments, oldest first.
    Index(None, "article_id", "created_at", "id"),
    # Deleting a user cascades to their comments; without it that is a scan of every comment.
    Index(None, "author_id"),
    sqlite_autoincrement=True,
)

follows = Table(
    "follows",
    metadata,
    Column("follower_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("followee_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    # Who follows a user (and the cascade when that user goes); the key answers whom a user follows.
    Index(None, "followee_id"),
)

favorites = Table(
    "favorites",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", Uuid, ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    # A copy of the article's creation time, so that a fan's page, newest first, is one index range.
    Column("article_created_at", UtcDateTime, nullable=False),
    # An article's favorites count and the cascade on its deletion; the key answers what a user favorited.
    Index(None, "article_id", "user_id"),
)
Index("ix_favorites_user_id_newest", favorites.c.user_id, favorites.c.article_created_at.desc(),
      favorites.c.article_id.desc())

# The outbox and the record of every job. The relay reads the unpublished ones (a partial index keeps
# that a look at the few rows it concerns), administrators list them by status.
jobs = Table(
    "jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("type", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("owner_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("progress", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("result", JSON, nullable=True),
    Column("request_id", String(128), nullable=True),
    # At most one job per key (NULLs are distinct), which makes a job that queues jobs safe to repeat.
    Column("key", String(200), nullable=True, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("queued_at", UtcDateTime, nullable=False),
    Column("run_after", UtcDateTime, nullable=False),
    Column("published_at", UtcDateTime, nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Index("ix_jobs_unpublished", "run_after", postgresql_where=text("published_at IS NULL"),
          sqlite_where=text("published_at IS NULL")),
    Index("ix_jobs_status_created_at_id", "status", "created_at", "id"),
)

# The audit log: append-only (on PostgreSQL a trigger refuses UPDATE and DELETE, migration 0006). No
# foreign keys: the log outlives the accounts and articles it names. Listed newest first, whole or by
# action, actor or target, each an index range.
audit_events = Table(
    "audit_events",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor_id", Uuid, nullable=True),
    Column("target_id", Uuid, nullable=True),
    Column("target", String(AUDIT_TARGET_MAX_LENGTH), nullable=True),
    Column("client_address", String(CLIENT_ADDRESS_MAX_LENGTH), nullable=True),
    Column("request_id", String(REQUEST_ID_MAX_LENGTH), nullable=True),
    Column("details", JSON, nullable=False),
    sqlite_autoincrement=True,
)
_NEWEST_EVENTS_FIRST = (audit_events.c.at.desc(), audit_events.c.id.desc())
Index("ix_audit_events_at_id", *_NEWEST_EVENTS_FIRST)
Index("ix_audit_events_action_at_id", audit_events.c.action, *_NEWEST_EVENTS_FIRST)
Index("ix_audit_events_actor_id_at_id", audit_events.c.actor_id, *_NEWEST_EVENTS_FIRST)
Index("ix_audit_events_target_id_at_id", audit_events.c.target_id, *_NEWEST_EVENTS_FIRST)
Index("ix_audit_events_target_at_id", audit_events.c.target, *_NEWEST_EVENTS_FIRST)
