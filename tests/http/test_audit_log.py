"""The audit log over HTTP: administrators read who did what to whom, from which address and request."""

import uuid
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.http.conftest import auth, register
from tests.http.jobs_support import make_admin

EVENT_FIELDS = {"id", "at", "action", "actor", "target", "targetId", "clientAddress", "requestId", "details"}


async def an_admin(app: FastAPI, client: httpx.AsyncClient) -> dict[str, Any]:
    user = await register(client)
    await make_admin(app, user["username"])
    return user


async def audit(client: httpx.AsyncClient, token: str, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/admin/audit", params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def user_id(client: httpx.AsyncClient, admin_token: str, username: str) -> str:
    body = (await client.get("/api/admin/users", params={"q": username}, headers=auth(admin_token))).json()
    return str(next(user["id"] for user in body["users"] if user["username"] == username))


async def test_log_ins_are_recorded_with_the_client_and_the_request(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    jake = await register(client)
    failed = await client.post("/api/users/login", json={"user": {"email": jake["email"].upper(), "password": "nope"}},
                               headers={"X-Request-ID": "failed-login-1"})
    assert failed.status_code == 401
    await client.post("/api/users/login", json={"user": {"email": jake["email"], "password": jake["password"]}},
                      headers={"X-Request-ID": "good-login-1"})
    body = await audit(client, boss["token"])
    assert body["eventsCount"] == 2
    succeeded, failure = body["events"]
    assert set(succeeded) == EVENT_FIELDS
    jake_id = await user_id(client, boss["token"], jake["username"])
    assert (succeeded["action"], succeeded["actor"], succeeded["targetId"], succeeded["target"]) == (
        "login_succeeded", jake_id, jake_id, jake["username"]
    )
    assert (failure["action"], failure["actor"], failure["target"]) == ("login_failed", None, jake["email"].upper())
    assert (succeeded["requestId"], failure["requestId"]) == ("good-login-1", "failed-login-1")
    assert succeeded["clientAddress"] == "127.0.0.1"
    assert succeeded["at"].endswith("Z") and succeeded["at"] >= failure["at"] and succeeded["id"] > failure["id"]
    assert jake["password"] not in str(body) and "nope" not in str(body)


async def test_administrative_changes_and_removals_are_recorded(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    jake = await register(client)
    await client.patch(f"/api/admin/users/{jake['username']}", json={"user": {"role": "admin"}},
                       headers=auth(boss["token"]))
    await client.post(f"/api/admin/users/{jake['username']}/revoke-sessions", headers=auth(boss["token"]))
    article = (await client.post("/api/articles", headers=auth((await register(client))["token"]), json={
        "article": {"title": "Cheap watches", "description": "spam", "body": "spam"}})).json()["article"]
    assert (await client.delete(f"/api/articles/{article['slug']}", headers=auth(boss["token"]))).status_code == 204
    boss_id = await user_id(client, boss["token"], boss["username"])
    body = await audit(client, boss["token"], actor=boss_id)
    assert [(event["action"], event["target"]) for event in body["events"]] == [
        ("article_removed", article["slug"]), ("sessions_revoked", jake["username"]),
        ("role_changed", jake["username"]),
    ]
    assert body["events"][2]["details"] == {"from": "user", "to": "admin"}


async def test_filters_by_action_actor_and_target(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    jake = await register(client)
    await client.post("/api/users/login", json={"user": {"email": "nobody@example.com", "password": "x" * 8}})
    await client.post(f"/api/admin/users/{jake['username']}/revoke-sessions", headers=auth(boss["token"]))
    jake_id = await user_id(client, boss["token"], jake["username"])

    async def actions(**params: Any) -> list[str]:
        body = await audit(client, boss["token"], **params)
        assert body["eventsCount"] == len(body["events"])
        return [event["action"] for event in body["events"]]

    assert await actions(action="login_failed") == ["login_failed"]
    assert await actions(target="nobody@example.com") == ["login_failed"]
    assert await actions(target=jake_id) == ["sessions_revoked"]
    assert await actions(target=jake["username"], action="sessions_revoked") == ["sessions_revoked"]
    assert await actions(actor=jake_id) == []
    assert await actions(actor=str(uuid.uuid4())) == []


async def test_pages_newest_first(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await an_admin(app, client)
    for n in range(3):
        await client.post("/api/users/login", json={"user": {"email": f"n{n}@example.com", "password": "x" * 8}})
    first = await audit(client, boss["token"], limit=2)
    rest = await audit(client, boss["token"], limit=2, offset=2)
    assert first["eventsCount"] == rest["eventsCount"] == 3
    assert [e["target"] for e in first["events"] + rest["events"]] == [f"n{n}@example.com" for n in (2, 1, 0)]


@pytest.mark.parametrize(("name", "value"), [
    ("action", "coup_detat"), ("actor", "jake"), ("limit", 0), ("offset", -1), ("target", ""), ("target", "x" * 201),
])
async def test_bad_filters_are_422(app: FastAPI, client: httpx.AsyncClient, name: str, value: str | int) -> None:
    boss = await an_admin(app, client)
    response = await client.get("/api/admin/audit", params={name: value}, headers=auth(boss["token"]))
    assert response.status_code == 422, response.text
    assert list(response.json()["errors"]) == [name]


async def test_users_and_strangers_cannot_read_it(client: httpx.AsyncClient) -> None:
    user = await register(client)
    forbidden = await client.get("/api/admin/audit", headers=auth(user["token"]))
    assert forbidden.status_code == 403
    assert forbidden.json() == {"errors": {"admin": ["only administrators may do this"]}}
    assert (await client.get("/api/admin/audit")).status_code == 401
