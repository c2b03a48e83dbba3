"""Integration fixtures: empty databases on each SQL backend, one per test."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.contract.databases import fresh_postgres_database, sqlite_url
from tests.services import require_postgres


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    require_postgres()
    with fresh_postgres_database() as url:
        yield url
