"""Readiness follows the schema. Started without MIGRATE_ON_START on a database behind the code, `inkwell serve`
says so in one error line, answers /health/ready 503 naming the revisions, and is ready soon after a migration."""

import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from adapters.sql.migrations import upgrade
from adapters.sql.revisions import packaged_revisions
from tests.contract.databases import fresh_postgres_database
from tests.e2e.serving import serving
from tests.services import REDIS_URL, require_postgres, require_redis

pytestmark = pytest.mark.e2e

HEAD = max(packaged_revisions().heads)
OLDER = "0001"
RECHECK_SECONDS = 2  # SchemaProbe's default: a schema found behind is read again after this long


@dataclass
class Deployment:
    database_url: str
    env: dict[str, str]
    dependencies: set[str]


@pytest.fixture(params=["embedded", "production"])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
    if request.param == "embedded":
        (tmp_path / "var").mkdir(mode=0o700)
        url = f"sqlite+aiosqlite:///{tmp_path / 'var' / 'inkwell.db'}"
        yield Deployment(url, {"MIGRATE_ON_START": "false"}, {"database", "schema"})
        return
    require_postgres()
    require_redis()
    with fresh_postgres_database() as url:
        env = {"INKWELL_PROFILE": "production", "DATABASE_URL": url, "REDIS_URL": REDIS_URL,
               "JWT_SECRET": secrets.token_urlsafe(48), "PASSWORD_PEPPER": secrets.token_urlsafe(48),
               "JOB_QUEUE_PREFIX": f"test-{secrets.token_hex(4)}"}
        yield Deployment(url, env, {"database", "schema", "redis", "broker"})


def test_a_schema_behind_the_code_is_one_error_line_at_start_and_503_until_migrated(
    tmp_path: Path, deployment: Deployment
) -> None:
    upgrade(deployment.database_url, OLDER)
    with serving(tmp_path, {**deployment.env, "LOG_LEVEL": "INFO"}) as server:
        behind = httpx.get(f"{server.base}/health/ready", timeout=10)
        upgrade(deployment.database_url)
        migrated_at = time.monotonic()
        ready = _ready(server.base, within=RECHECK_SECONDS + 3)
        ready_after = time.monotonic() - migrated_at
        records = server.records()

    assert behind.status_code == 503
    assert behind.json() == {
        "status": "unavailable",
        "checks": {name: "behind" if name == "schema" else "ok" for name in deployment.dependencies},
        "errors": {"schema": [f"is at revision {OLDER}, the code needs {HEAD}"]},
    }
    assert ready.json() == {"status": "ok", "checks": dict.fromkeys(deployment.dependencies, "ok")}
    assert ready_after <= RECHECK_SECONDS + 3

    [at_start] = [record for record in records if record["level"] == "error"]
    assert (at_start["event"], at_start["current"], at_start["expected"]) == ("schema_behind", OLDER, HEAD)
    assert at_start["problem"] == (f"the database schema is at revision {OLDER}, the code needs {HEAD}: "
                                   "run `inkwell migrate`, or set MIGRATE_ON_START=true")


def _ready(base: str, *, within: float) -> httpx.Response:
    deadline = time.monotonic() + within
    while True:
        response = httpx.get(f"{base}/health/ready", timeout=10)
        if response.status_code == 200 or time.monotonic() > deadline:
            assert response.status_code == 200, response.text
            return response
        time.sleep(0.1)
