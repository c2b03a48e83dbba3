"""Administration of users over HTTP: listing and searching, role and active flag, ending sessions; and
the rule that an active administrator always remains."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.http.conftest import auth, register, unique
from tests.http.jobs_support import make_admin

ADMIN_VIEW_FIELDS = {"id", "username", "email", "role", "active", "emailVerified", "createdAt"}


async def an_admin(app: FastAPI, client: httpx.AsyncClient) -> dict[str, Any]:
    user = await register(client)
    await make_admin(app, user["username"])
    return user


async def patch(client: httpx.AsyncClient, token: str, username: str, **changes: Any) -> httpx.Response:
    return await client.patch(f"/api/admin/users/{username}", json={"user": changes}, headers=auth(token))


async def current_user(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get("/api/user", headers=auth(token))).status_code


async def log_in(client: httpx.AsyncClient, user: dict[str, Any]) -> httpx.Response:
    return await client.post("/api/users/login",
                             json={"user": {"email": user["email"], "password": user["password"]}})


async def test_lists_users_with_the_admin_view_and_a_count(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    jake = await register(client)
    response = await client.get("/api/admin/users", headers=auth(boss["token"]))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"users", "usersCount"} and body["usersCount"] == 2
    listed = {user["username"]: user for user in body["users"]}
    assert set(listed[jake["username"]]) == ADMIN_VIEW_FIELDS
    assert listed[jake["username"]]["email"] == jake["email"]
    assert (listed[boss["username"]]["role"], listed[jake["username"]]["role"]) == ("admin", "user")
    assert listed[jake["username"]]["active"] is True and listed[jake["username"]]["emailVerified"] is False
    assert listed[jake["username"]]["createdAt"].endswith("Z")
    assert "password" not in response.text and "hash" not in response.text


async def test_searches_filters_and_pages(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    names = [await register(client, unique("findme")) for _ in range(3)]
    await register(client, unique("other"))
    found = (await client.get("/api/admin/users", params={"q": "FINDME", "limit": 2},
                              headers=auth(boss["token"]))).json()
    assert found["usersCount"] == 3
    assert [user["username"] for user in found["users"]] == [user["username"] for user in names[:2]]
    admins = (await client.get("/api/admin/users", params={"role": "admin"}, headers=auth(boss["token"]))).json()
    assert [user["username"] for user in admins["users"]] == [boss["username"]]
    wildcard = (await client.get("/api/admin/users", params={"q": "%"}, headers=auth(boss["token"]))).json()
    assert wildcard == {"users": [], "usersCount": 0}


@pytest.mark.parametrize(("name", "value"), [
    ("role", "owner"), ("active", "maybe"), ("limit", 0), ("limit", 101), ("offset", -1), ("q", ""),
    ("q", "x" * 255), ("q", "a\x00b"),
])
async def test_bad_list_parameters_are_422(
    app: FastAPI, client: httpx.AsyncClient, name: str, value: str | int
) -> None:
    boss = await an_admin(app, client)
    response = await client.get("/api/admin/users", params={name: value}, headers=auth(boss["token"]))
    assert response.status_code == 422, response.text
    assert list(response.json()["errors"]) == [name]


async def test_promoting_makes_a_user_an_administrator_at_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    jake = await register(client)
    response = await patch(client, boss["token"], jake["username"].upper(), role="admin")
    assert response.status_code == 200
    assert set(response.json()) == {"user"}
    assert (response.json()["user"]["username"], response.json()["user"]["role"]) == (jake["username"], "admin")
    assert (await client.get("/api/admin/users", headers=auth(jake["token"]))).status_code == 200


async def test_demoting_ends_every_session_at_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    jake = await an_admin(app, client)
    response = await patch(client, boss["token"], jake["username"], role="user")
    assert response.status_code == 200 and response.json()["user"]["role"] == "user"
    assert await current_user(client, jake["token"]) == 401
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": jake["refreshToken"]})
    assert refreshed.status_code == 401
    again = (await log_in(client, jake)).json()["user"]
    assert (await client.get("/api/admin/users", headers=auth(again["token"]))).status_code == 403


async def test_deactivating_ends_sessions_and_reactivating_lets_the_user_back(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    boss = await an_admin(app, client)
    jake = await register(client)
    deactivated = await patch(client, boss["token"], jake["username"], active=False)
    assert deactivated.status_code == 200 and deactivated.json()["user"]["active"] is False
    assert await current_user(client, jake["token"]) == 401
    assert (await log_in(client, jake)).status_code == 401
    reactivated = await patch(client, boss["token"], jake["username"], active=True)
    assert reactivated.json()["user"]["active"] is True
    assert await current_user(client, jake["token"]) == 401  # the old session stays ended
    assert (await log_in(client, jake)).status_code == 200


async def test_an_empty_change_changes_nothing(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    jake = await register(client)
    response = await patch(client, boss["token"], jake["username"])
    assert response.status_code == 200 and response.json()["user"]["role"] == "user"
    assert await current_user(client, jake["token"]) == 200


@pytest.mark.parametrize("change", [{"role": "user"}, {"active": False}])
async def test_the_last_active_admin_cannot_be_taken_away(
    app: FastAPI, client: httpx.AsyncClient, change: dict[str, Any]
) -> None:
    boss = await an_admin(app, client)
    response = await patch(client, boss["token"], boss["username"], **change)
    assert response.status_code == 409
    assert response.json() == {"errors": {"user": ["is the last active administrator"]}}
    assert await current_user(client, boss["token"]) == 200


async def test_an_admin_may_step_down_once_another_exists(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    deputy = await register(client)
    assert (await patch(client, boss["token"], deputy["username"], role="admin")).status_code == 200
    stepped_down = await patch(client, boss["token"], boss["username"], role="user")
    assert stepped_down.status_code == 200
    assert await current_user(client, boss["token"]) == 401
    assert (await patch(client, deputy["token"], deputy["username"], active=False)).status_code == 409


@pytest.mark.parametrize("body", [{}, {"user": {"role": "owner"}}, {"user": {"active": "sometimes"}}, {"user": 1}])
async def test_a_bad_body_is_422(app: FastAPI, client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    boss = await an_admin(app, client)
    response = await client.patch(f"/api/admin/users/{boss['username']}", json=body, headers=auth(boss["token"]))
    assert response.status_code == 422
    assert "errors" in response.json()


async def test_revoking_sessions_ends_them_and_the_user_may_sign_in_again(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    boss = await an_admin(app, client)
    jake = await register(client)
    second = (await log_in(client, jake)).json()["user"]
    response = await client.post(f"/api/admin/users/{jake['username']}/revoke-sessions", headers=auth(boss["token"]))
    assert (response.status_code, response.content) == (204, b"")
    assert await current_user(client, jake["token"]) == 401
    assert await current_user(client, second["token"]) == 401
    assert await current_user(client, boss["token"]) == 200
    assert (await log_in(client, jake)).status_code == 200


@pytest.mark.parametrize("username", ["nobody-at-all", "not a name!"])
async def test_an_unknown_user_is_404(app: FastAPI, client: httpx.AsyncClient, username: str) -> None:
    boss = await an_admin(app, client)
    for response in (
        await patch(client, boss["token"], username, role="admin"),
        await client.post(f"/api/admin/users/{username}/revoke-sessions", headers=auth(boss["token"])),
    ):
        assert response.status_code == 404
        assert response.json() == {"errors": {"user": ["not found"]}}


async def test_a_user_cannot_touch_another(client: httpx.AsyncClient) -> None:
    jake, jane = await register(client), await register(client)
    for response in (
        await patch(client, jake["token"], jane["username"], active=False),
        await client.post(f"/api/admin/users/{jane['username']}/revoke-sessions", headers=auth(jake["token"])),
    ):
        assert response.status_code == 403
    assert await current_user(client, jane["token"]) == 200
