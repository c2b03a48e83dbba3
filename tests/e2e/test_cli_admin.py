"""`inkwell set-role` and `inkwell revoke-sessions`, run as an operator runs them against the embedded
default, beside a running server whose sessions they end."""

import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import running_server
from tests.e2e.test_cli import inkwell

pytestmark = pytest.mark.e2e

PASSWORD = "a long admin passphrase"


def _create_admin(workdir: Path, name: str) -> None:
    created = inkwell(workdir, "create-admin", "--email", f"{name}@example.com", "--username", name,
                      "--password", PASSWORD)
    assert created.returncode == 0, created.stderr


def _audit(workdir: Path) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(workdir / "var" / "inkwell.db") as database:
        rows = database.execute("SELECT action, actor_id, target FROM audit_events ORDER BY id").fetchall()
    return [tuple(row) for row in rows]


def test_set_role_keeps_an_active_administrator_and_says_what_it_did(tmp_path: Path) -> None:
    assert inkwell(tmp_path, "migrate").returncode == 0
    _create_admin(tmp_path, "root")

    last = inkwell(tmp_path, "set-role", "root", "user")
    assert (last.returncode, last.stderr.strip()) == (1, "user is the last active administrator")

    _create_admin(tmp_path, "deputy")
    demoted = inkwell(tmp_path, "set-role", "ROOT", "user")
    assert (demoted.returncode, demoted.stdout.strip()) == (0, "root is now user")
    assert inkwell(tmp_path, "set-role", "deputy", "user").returncode == 1
    promoted = inkwell(tmp_path, "set-role", "root", "ADMIN")
    assert (promoted.returncode, promoted.stdout.strip()) == (0, "root is now admin")

    unknown = inkwell(tmp_path, "set-role", "nobody", "admin")
    assert (unknown.returncode, unknown.stderr.strip()) == (1, "user not found")
    no_such_role = inkwell(tmp_path, "set-role", "root", "owner")
    assert no_such_role.returncode == 2 and "owner" in no_such_role.stderr

    assert _audit(tmp_path) == [("role_changed", None, "root"), ("role_changed", None, "root")]


def test_revoke_sessions_ends_the_sessions_of_a_running_server(tmp_path: Path) -> None:
    assert inkwell(tmp_path, "migrate").returncode == 0
    _create_admin(tmp_path, "root")
    with running_server(tmp_path) as base:
        login = httpx.post(f"{base}/api/users/login",
                           json={"user": {"email": "root@example.com", "password": PASSWORD}}, timeout=10)
        assert login.status_code == 200, login.text
        token = login.json()["user"]["token"]
        headers = {"Authorization": f"Token {token}"}
        assert httpx.get(f"{base}/api/user", headers=headers, timeout=10).status_code == 200

        revoked = inkwell(tmp_path, "revoke-sessions", "root")
        assert (revoked.returncode, revoked.stdout.strip()) == (0, "every session of root has ended")
        assert httpx.get(f"{base}/api/user", headers=headers, timeout=10).status_code == 401

        again = httpx.post(f"{base}/api/users/login",
                           json={"user": {"email": "root@example.com", "password": PASSWORD}}, timeout=10)
        assert again.status_code == 200
    unknown = inkwell(tmp_path, "revoke-sessions", "nobody")
    assert (unknown.returncode, unknown.stderr.strip()) == (1, "user not found")
    assert [action for action, _, _ in _audit(tmp_path)] == ["login_succeeded", "sessions_revoked", "login_succeeded"]
