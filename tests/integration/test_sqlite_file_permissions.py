"""The embedded database holds password hashes and sessions: its file, and the -wal and -shm files SQLite
keeps beside it, are readable by their owner only, and so is DATA_DIR, whatever the umask."""

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.sql.engine import create_engine
from adapters.sql.migrations import upgrade_async
from entrypoints.settings import Profile, Settings


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """With no umask at all, anything created without an explicit mode would be open to everyone."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_fresh_embedded_database_and_its_wal_and_shm_files_are_0600(
    tmp_path: Path, permissive_umask: None
) -> None:
    data_dir = tmp_path / "fresh" / "var"
    settings = Settings(_env_file=None, inkwell_profile=Profile.EMBEDDED, data_dir=data_dir)  # type: ignore[call-arg]
    url = settings.resolved_database_url()
    settings.resolved_secrets()
    await upgrade_async(url)  # as `inkwell serve` does first: the migration creates the file
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE probe (written TEXT)"))
            await connection.execute(text("INSERT INTO probe VALUES ('something')"))
        async with engine.connect() as connection:  # held open, so the -wal and -shm files are there
            assert (await connection.execute(text("SELECT written FROM probe"))).scalar_one() == "something"
            files = {path.name: mode(path) for path in data_dir.iterdir()}
    finally:
        await engine.dispose()
    assert files == {"inkwell.db": 0o600, "inkwell.db-wal": 0o600, "inkwell.db-shm": 0o600, "secrets.json": 0o600}
    assert mode(data_dir) == 0o700


async def test_an_existing_database_file_keeps_the_mode_its_owner_gave_it(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    database.touch()
    database.chmod(0o640)
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE probe (written TEXT)"))
    finally:
        await engine.dispose()
    assert mode(database) == 0o640
