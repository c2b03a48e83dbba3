"""The `inkwell` command, run as a user runs it: in a fresh directory with no configuration."""

import os
import subprocess
from pathlib import Path

import pytest

from entrypoints.settings import Settings
from tests.e2e.conftest import INKWELL

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
