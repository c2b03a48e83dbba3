"""Running the Alembic migrations in the repository's `migrations/` folder, from sync or async code."""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from adapters.sql.engine import READ_ONLY, create_engine
from adapters.sql.revisions import MIGRATIONS

T = TypeVar("T")


def alembic_config(url: str) -> Config:
    """The Alembic configuration, built in code: there is no alembic.ini to keep in step.
    New revisions: `alembic.command.revision(alembic_config(url), "message", autogenerate=True, rev_id="0002")`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolates '%': the doubled ones reach Alembic as single ones.
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    _outside_event_loop(lambda: command.upgrade(alembic_config(url), revision))


def downgrade(url: str, revision: str = "base") -> None:
    _outside_event_loop(lambda: command.downgrade(alembic_config(url), revision))


async def upgrade_async(url: str, revision: str = "head") -> None:
    # env.py drives its async engine with asyncio.run, which needs a thread with no running loop.
    await asyncio.to_thread(upgrade, url, revision)


def current_revision(url: str) -> str | None:
    return _outside_event_loop(lambda: asyncio.run(current_revision_async(url)))


def is_up_to_date(url: str) -> bool:
    return _outside_event_loop(lambda: asyncio.run(is_up_to_date_async(url)))


async def current_revision_async(url: str) -> str | None:
    return await _inspect(url, lambda connection: MigrationContext.configure(connection).get_current_revision())


async def is_up_to_date_async(url: str) -> bool:
    heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    current = await _inspect(url, lambda connection: set(MigrationContext.configure(connection).get_current_heads()))
    return current == heads


async def _inspect(url: str, look: Callable[[Connection], T]) -> T:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(**READ_ONLY)
            return await connection.run_sync(look)
    finally:
        await engine.dispose()


def _outside_event_loop(work: Callable[[], T]) -> T:
    """Run `work`, which starts an event loop of its own, even from a thread that is running one."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()
