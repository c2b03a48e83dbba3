"""The Alembic history builds the schema from nothing, takes it away again, and matches tables.py."""

import warnings
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from adapters.sql.engine import create_engine
from adapters.sql.migrations import (
    current_revision,
    downgrade,
    is_up_to_date,
    is_up_to_date_async,
    upgrade,
    upgrade_async,
)
from adapters.sql.tables import USERNAME_INDEX, metadata

ACCOUNT_TABLES = {"users", "profiles", "sessions", "revoked_tokens"}
BLOGGING_TABLES = {"articles", "tags", "article_tags", "comments", "follows", "favorites"}
TABLES = ACCOUNT_TABLES | BLOGGING_TABLES | {"jobs", "audit_events"}
HEAD = "0006"


async def _look(url: str, look: Any) -> Any:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(look)
    finally:
        await engine.dispose()


def _tables(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


def _differences(connection: Connection) -> list[Any]:
    with warnings.catch_warnings():
        # SQLite cannot reflect expression indexes; the lower(username) index is checked on its own.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        return list(compare_metadata(MigrationContext.configure(connection), metadata))


def _username_index_sql(connection: Connection) -> str:
    if connection.dialect.name == "sqlite":
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
    else:
        query = "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
    return str(connection.execute(sa.text(query), {"name": USERNAME_INDEX}).scalar_one())


async def test_upgrade_from_empty_downgrade_to_base_and_upgrade_again(empty_database: str) -> None:
    assert current_revision(empty_database) is None
    assert not is_up_to_date(empty_database)

    upgrade(empty_database)
    assert current_revision(empty_database) == HEAD
    assert is_up_to_date(empty_database)
    assert await _look(empty_database, _tables) >= TABLES

    downgrade(empty_database)
    assert current_revision(empty_database) is None
    assert not is_up_to_date(empty_database)
    assert await _look(empty_database, _tables) <= {"alembic_version"}

    upgrade(empty_database)
    assert is_up_to_date(empty_database)
    assert await _look(empty_database, _tables) >= TABLES


async def test_downgrading_one_revision_takes_away_only_the_blogging_tables(empty_database: str) -> None:
    upgrade(empty_database)
    downgrade(empty_database, "0001")
    assert current_revision(empty_database) == "0001"
    tables = await _look(empty_database, _tables)
    assert tables >= ACCOUNT_TABLES and not tables & BLOGGING_TABLES
    upgrade(empty_database)
    assert current_revision(empty_database) == HEAD
    assert await _look(empty_database, _differences) == []


def _index_names(connection: Connection) -> set[str]:
    inspector = sa.inspect(connection)
    return {index["name"] for table in BLOGGING_TABLES for index in inspector.get_indexes(table) if index["name"]}


async def test_the_listing_indexes_exist(empty_database: str) -> None:
    await upgrade_async(empty_database)
    assert await _look(empty_database, _index_names) >= {
        "ix_articles_created_at_id",
        "ix_articles_author_id_created_at_id",
        "ix_article_tags_tag_id_article_id",
        "ix_comments_article_id_created_at_id",
        "ix_comments_author_id",
        "ix_follows_followee_id",
        "ix_favorites_article_id_user_id",
    }


async def test_the_migrated_schema_matches_the_tables_module(empty_database: str) -> None:
    await upgrade_async(empty_database)
    assert await _look(empty_database, _differences) == []
    index = (await _look(empty_database, _username_index_sql)).lower()
    assert "unique" in index
    assert "lowerusername" in "".join(ch for ch in index.replace("::text", "") if ch not in '"() ')


async def test_upgrading_twice_changes_nothing(empty_database: str) -> None:
    await upgrade_async(empty_database)
    await upgrade_async(empty_database)
    assert await is_up_to_date_async(empty_database)
