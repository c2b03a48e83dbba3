"""The `inkwell` command, run as a user runs it: in a fresh directory with no configuration."""

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from adapters.sql.migrations import upgrade
from adapters.sql.revisions import packaged_revisions
from entrypoints.settings import Settings
from tests.contract.databases import fresh_postgres_database
from tests.e2e.conftest import INKWELL
from tests.services import REDIS_URL, require_postgres, require_redis
from tests.smtp_sink import free_port

pytestmark = pytest.mark.e2e

HEAD = max(packaged_revisions().heads)
PORT_NOBODY_LISTENS_ON = free_port()


def inkwell(workdir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    return subprocess.run(  # noqa: S603 - our own console script
        [INKWELL, *args], cwd=workdir, env={**clean, "BCRYPT_ROUNDS": "4", **env},
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_migrate_create_admin_and_check_in_the_embedded_default(tmp_path: Path) -> None:
    migrated = inkwell(tmp_path, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    created = inkwell(tmp_path, "create-admin", "--email", "Root@Example.com", "--username", "root",
                      "--password", "a long admin passphrase")
    assert created.returncode == 0, created.stderr
    assert "administrator root created" in created.stdout
    again = inkwell(tmp_path, "create-admin", "--email", "root@example.com", "--username", "other",
                    "--password", "a long admin passphrase")
    assert again.returncode == 1 and "email has already been taken" in again.stderr
    checked = inkwell(tmp_path, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "database: ok" in checked.stdout and "schema: ok" in checked.stdout


def test_an_administrator_is_created_in_a_fresh_embedded_directory_without_a_prior_migrate(
    tmp_path: Path,
) -> None:
    created = inkwell(tmp_path, "create-admin", "--email", "root@example.com", "--username", "root",
                      "--password", "a long admin passphrase")
    assert created.returncode == 0, created.stderr
    demoted = inkwell(tmp_path, "set-role", "root", "user")
    assert (demoted.returncode, demoted.stderr.strip()) == (1, "user is the last active administrator")


def test_an_administration_command_whose_database_is_down_says_so_in_one_line(
    tmp_path: Path, production: dict[str, str]
) -> None:
    url = make_url(production["DATABASE_URL"]).set(port=PORT_NOBODY_LISTENS_ON)
    result = inkwell(tmp_path, "revoke-sessions", "someone",
                     **{**production, "DATABASE_URL": url.render_as_string(hide_password=False)})
    assert result.returncode == 1
    assert result.stderr.strip() == "database is unavailable; `inkwell check` says why"


def test_check_reports_a_schema_that_is_behind(tmp_path: Path) -> None:
    checked = inkwell(tmp_path, "check")
    assert checked.returncode == 1
    assert f"schema: behind - has no revision (an empty database), the code needs {HEAD}: run `inkwell migrate`" \
        in checked.stdout.splitlines()


def test_production_refuses_to_start_without_a_strong_secret(tmp_path: Path) -> None:
    env = {"INKWELL_PROFILE": "production", "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/x",
           "REDIS_URL": "redis://127.0.0.1:6379/15", "PASSWORD_PEPPER": "p" * 40}
    for secret in (None, "too-short"):
        result = inkwell(tmp_path, "serve", **env, **({"JWT_SECRET": secret} if secret else {}))
        assert result.returncode == 2
        assert "JWT_SECRET must be set to at least 32 bytes" in result.stderr
    assert not (tmp_path / "var").exists()


def test_mail_preview_renders_each_part_of_a_template(tmp_path: Path) -> None:
    text = inkwell(tmp_path, "mail", "preview", "verify_email", FRONTEND_URL="https://conduit.example")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Subject: Confirm your e-mail address for Inkwell")
    assert "https://conduit.example/verify-email?token=" in text.stdout
    html = inkwell(tmp_path, "mail", "preview", "new_article", "--part", "html", "--output", "preview.html")
    assert html.returncode == 0, html.stderr
    written = (tmp_path / "preview.html").read_text()
    assert "<html" in written and "&amp;" in written  # the sample title's "&", escaped
    unknown = inkwell(tmp_path, "mail", "preview", "no_such_mail")
    assert unknown.returncode == 2 and "verify_email" in unknown.stderr


def test_the_worker_refuses_to_run_where_it_cannot_work(tmp_path: Path) -> None:
    embedded = inkwell(tmp_path, "worker")
    assert embedded.returncode == 2 and "runs jobs inside `inkwell serve`" in embedded.stderr
    production = {"INKWELL_PROFILE": "production", "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/x",
                  "REDIS_URL": "redis://127.0.0.1:6379/15", "JWT_SECRET": "s" * 40, "PASSWORD_PEPPER": "p" * 40}
    without_smtp = inkwell(tmp_path, "worker", **production)
    assert without_smtp.returncode == 2 and "SMTP_HOST" in without_smtp.stderr


def test_check_reports_an_smtp_server_that_does_not_answer(tmp_path: Path) -> None:
    assert inkwell(tmp_path, "migrate").returncode == 0
    port = free_port()
    checked = inkwell(tmp_path, "check", SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_STARTTLS="false")
    assert checked.returncode == 1
    assert f"smtp: unavailable - SMTP: nothing listens on 127.0.0.1:{port} (connection refused)" in checked.stdout
    assert "database: ok" in checked.stdout


@pytest.fixture
def production(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The production profile on a fresh PostgreSQL database at the latest revision, and Redis."""
    require_postgres()
    require_redis()
    with fresh_postgres_database() as url:
        upgrade(url)
        yield {"INKWELL_PROFILE": "production", "DATABASE_URL": url, "REDIS_URL": REDIS_URL,
               "JWT_SECRET": "s" * 40, "PASSWORD_PEPPER": "p" * 40}


def test_check_passes_in_production_when_everything_answers(tmp_path: Path, production: dict[str, str]) -> None:
    checked = inkwell(tmp_path, "check", **production)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.splitlines()[1:] == ["database: ok", "schema: ok", "redis: ok", "broker: ok",
                                               "all checks passed"]


@pytest.mark.parametrize(("mistake", "database_line"), [
    ({"port": PORT_NOBODY_LISTENS_ON}, f"PostgreSQL: nothing listens on 127.0.0.1:{PORT_NOBODY_LISTENS_ON} "
                                       "(connection refused)"),
    ({"database": "inkwell_no_such_database"},
     'PostgreSQL: database "inkwell_no_such_database" does not exist on 127.0.0.1:{port}'),
    ({"username": "inkwell_no_such_user"},
     'PostgreSQL: authentication failed for user "inkwell_no_such_user" (no such role on 127.0.0.1:{port})'),
], ids=["wrong port", "missing database", "unknown user"])
def test_check_says_in_words_why_postgresql_cannot_be_used(
    tmp_path: Path, production: dict[str, str], mistake: dict[str, Any], database_line: str
) -> None:
    url = make_url(production["DATABASE_URL"])
    wrong = url.set(**mistake).render_as_string(hide_password=False)
    checked = inkwell(tmp_path, "check", **{**production, "DATABASE_URL": wrong})
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert f"database: unavailable - {database_line.format(port=url.port or 5432)}" in lines
    assert "redis: ok" in lines and "all checks passed" not in lines


def test_check_says_in_words_why_redis_cannot_be_used(tmp_path: Path, production: dict[str, str]) -> None:
    wrong_port = f"redis://127.0.0.1:{PORT_NOBODY_LISTENS_ON}/15"
    refused = inkwell(tmp_path, "check", **{**production, "REDIS_URL": wrong_port}).stdout.splitlines()
    assert f"redis: unavailable - Redis: nothing listens on 127.0.0.1:{PORT_NOBODY_LISTENS_ON} (connection refused)" \
        in refused
    assert "database: ok" in refused
    no_such_database = inkwell(tmp_path, "check", **{**production, "REDIS_URL": "redis://127.0.0.1:6379/99"})
    assert no_such_database.returncode == 1
    assert ("redis: unavailable - Redis: database 99 does not exist at 127.0.0.1:6379 (DB index is out of range)"
            in no_such_database.stdout.splitlines())


def test_check_names_the_revisions_of_a_postgresql_schema_behind(tmp_path: Path) -> None:
    require_postgres()
    require_redis()
    with fresh_postgres_database() as url:
        upgrade(url, "0001")
        checked = inkwell(tmp_path, "check", INKWELL_PROFILE="production", DATABASE_URL=url, REDIS_URL=REDIS_URL,
                          JWT_SECRET="s" * 40, PASSWORD_PEPPER="p" * 40)
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert f"schema: behind - is at revision 0001, the code needs {HEAD}: run `inkwell migrate`" in lines
    assert "database: ok" in lines


def test_serve_refuses_a_short_secret_in_the_embedded_default_with_one_clear_line(tmp_path: Path) -> None:
    for name in ("JWT_SECRET", "PASSWORD_PEPPER"):
        result = inkwell(tmp_path, "serve", **{name: "short"})
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert json.loads(lines[0])["problem"].startswith(f"{name} must be set to at least 32 bytes (it has 5)")
    assert not (tmp_path / "var").exists()
