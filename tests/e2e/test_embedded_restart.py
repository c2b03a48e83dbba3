"""The embedded default keeps users and revocations across a restart of `inkwell serve`."""

from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import running_server

pytestmark = pytest.mark.e2e

CREDENTIALS = {"email": "e2e-writer@example.com", "password": "a long and unusual passphrase"}


def test_sessions_and_revocations_survive_a_restart(tmp_path: Path) -> None:
    with running_server(tmp_path) as base, httpx.Client(base_url=base) as http:
        registered = http.post("/api/users", json={"user": {"username": "e2e-writer", **CREDENTIALS}})
        assert registered.status_code == 201, registered.text
        logged_in = http.post("/api/users/login", json={"user": CREDENTIALS}).json()["user"]
        rotated = http.post("/api/auth/refresh", json={"refresh_token": logged_in["refreshToken"]})
        assert rotated.status_code == 200
        pair = rotated.json()
        assert http.post("/api/auth/logout", headers=_bearer(pair["access_token"])).status_code == 204
        survivor = http.post("/api/users/login", json={"user": CREDENTIALS}).json()["user"]

    assert (tmp_path / "var" / "inkwell.db").exists()
    assert (tmp_path / "var" / "secrets.json").exists()

    with running_server(tmp_path) as base, httpx.Client(base_url=base) as http:
        # The account is still there, and sessions still open before the restart still work.
        assert http.get("/api/profiles/e2e-writer").status_code == 200
        assert http.get("/api/user", headers=_bearer(survivor["token"])).status_code == 200
        # Everything revoked or spent before the restart stays refused.
        assert http.get("/api/user", headers=_bearer(pair["access_token"])).status_code == 401
        assert http.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401
        assert http.post("/api/auth/refresh", json={"refresh_token": logged_in["refreshToken"]}).status_code == 401
        assert http.post("/api/users/login", json={"user": CREDENTIALS}).status_code == 200


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
