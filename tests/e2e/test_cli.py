"""The `inkwell` command, run as a user runs it: in a fresh directory with no configuration."""

import os
import subprocess
from pathlib import Path

import pytest

from entrypoints.settings import Settings
from tests.e2e.conftest import INKWELL
from tests.smtp_sink import free_port

pytestmark = pytest.mark.e2e


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
    assert "database: ok" in checked.stdout and "schema: up to date" in checked.stdout


def test_check_reports_a_schema_that_is_behind(tmp_path: Path) -> None:
    checked = inkwell(tmp_path, "check")
    assert checked.returncode == 1
    assert "schema: behind" in checked.stdout


def test_production_refuses_to_start_without_a_strong_secret(tmp_path: Path) -> None:
    env = {"INKWELL_PROFILE": "production", "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/x",
           "REDIS_URL": "redis://127.0.0.1:6379/0", "PASSWORD_PEPPER": "p" * 40}
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
                  "REDIS_URL": "redis://127.0.0.1:6379/0", "JWT_SECRET": "s" * 40, "PASSWORD_PEPPER": "p" * 40}
    without_smtp = inkwell(tmp_path, "worker", **production)
    assert without_smtp.returncode == 2 and "SMTP_HOST" in without_smtp.stderr


def test_check_reports_an_smtp_server_that_does_not_answer(tmp_path: Path) -> None:
    assert inkwell(tmp_path, "migrate").returncode == 0
    checked = inkwell(tmp_path, "check", SMTP_HOST="127.0.0.1", SMTP_PORT=str(free_port()), SMTP_STARTTLS="false")
    assert checked.returncode == 1
    assert "smtp: unavailable" in checked.stdout and "database: ok" in checked.stdout


def test_serve_refuses_a_short_secret_in_the_embedded_default_with_one_clear_line(tmp_path: Path) -> None:
    for name in ("JWT_SECRET", "PASSWORD_PEPPER"):
        result = inkwell(tmp_path, "serve", **{name: "short"})
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"Configuration refused: {name} must be set to at least 32 bytes (it has 5)")
    assert not (tmp_path / "var").exists()
