"""The `inkwell` command as a new user meets it: configuration problems all at once, one line each, for
every command; PostgreSQL URLs as hosting providers write them; prompts; --version."""

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from entrypoints.settings import Settings
from tests.contract.databases import fresh_postgres_database
from tests.e2e.conftest import INKWELL
from tests.services import require_postgres

pytestmark = pytest.mark.e2e

THREE_PROBLEMS = {"DATABASE_URL": "mysql://root:hunter2@db/inkwell", "BCRYPT_ROUNDS": "99", "JWT_SECRET": "short"}
COMMANDS = [["serve"], ["worker"], ["migrate"], ["check"], ["create-admin", "--email", "a@example.com",
            "--username", "root", "--password", "a long admin passphrase"], ["set-role", "someone", "admin"],
            ["revoke-sessions", "someone"], ["mail", "preview", "verify_email"]]


def run(workdir: Path, *args: str, env: dict[str, str] | None = None, answers: str | None = None,
        program: tuple[str, ...] = (INKWELL,)) -> subprocess.CompletedProcess[str]:
    """Run `inkwell` with no configuration but `env` (and `answers` to its prompts)."""
    clean = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
    return subprocess.run(  # noqa: S603 - our own console script, or uvicorn's
        [*program, *args], cwd=workdir, env={**clean, **(env or {})}, input=answers, capture_output=True, text=True,
        timeout=60, check=False,
    )


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_every_command_reports_every_configuration_problem_at_once_and_exits_2(
    tmp_path: Path, command: list[str]
) -> None:
    result = run(tmp_path, *command, env=THREE_PROBLEMS)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    if command == ["serve"]:  # a server's stderr is JSON: one entry per problem
        entries = [json.loads(line) for line in lines]
        assert {(entry["level"], entry["event"]) for entry in entries} == {("error", "configuration_refused")}
        lines = [entry["problem"] for entry in entries]
    assert [line.split(" ", 1)[0] for line in lines] == ["DATABASE_URL", "JWT_SECRET", "BCRYPT_ROUNDS"], lines
    assert lines[0] == 'DATABASE_URL has an unsupported scheme "mysql"; use postgresql:// or sqlite+aiosqlite://'
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "var").exists()  # refused before anything was created


def test_the_app_factory_run_by_uvicorn_reports_the_same_lines(tmp_path: Path) -> None:
    result = run(tmp_path, "--factory", "entrypoints.http.app:create_app", "--port", "1",
                 program=(sys.executable, "-m", "uvicorn"), env=THREE_PROBLEMS)
    assert result.returncode == 2
    assert [line.split(" ", 1)[0] for line in result.stderr.splitlines()] == [
        "DATABASE_URL", "JWT_SECRET", "BCRYPT_ROUNDS"], result.stderr


def test_a_dotenv_file_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SMTP_PORT=many\n")
    result = run(tmp_path, "migrate")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "SMTP_PORT should be a valid integer, unable to parse string as an integer (given: 'many')"]


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_and_postgresql_urls_migrate_with_psycopg_3(tmp_path: Path, scheme: str) -> None:
    require_postgres()
    with fresh_postgres_database() as url:
        given = make_url(url).set(drivername=scheme).render_as_string(hide_password=False)
        result = run(tmp_path, "migrate", env={"DATABASE_URL": given})
        assert result.returncode == 0, result.stderr
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as connection:
            assert connection.execute("SELECT version_num FROM alembic_version").fetchone() is not None


def test_version(tmp_path: Path) -> None:
    result = run(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout == f"inkwell {version('inkwell')}\n"


def test_create_admin_asks_for_what_is_not_given(tmp_path: Path) -> None:
    assert run(tmp_path, "migrate").returncode == 0
    asked = run(tmp_path, "create-admin", "--email", "root@example.com", "--username", "root",
                answers="a long admin passphrase\n" * 2, env={"BCRYPT_ROUNDS": "4"})
    assert asked.returncode == 0, asked.stderr
    assert "administrator root created" in asked.stdout
