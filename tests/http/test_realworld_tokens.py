"""The token in RealWorld's user object lives days (its frontends never refresh), never past its session's end,
and dies at once with its session; `/api/auth/token` and `/api/auth/refresh` keep handing out short tokens."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from dependency_injector import providers
from fastapi import FastAPI

from adapters.memory.clock import FixedClock
from entrypoints.http.app import create_app
from tests.http.conftest import auth, make_settings, register
from tests.http.jobs_support import make_admin, serve

DAY = 24 * 3600
WEEK = 7 * DAY


def claims(token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return decoded


def lifetime(token: str) -> int:
    decoded = claims(token)
    return int(decoded["exp"]) - int(decoded["iat"])


async def log_in(client: httpx.AsyncClient, user: dict[str, Any], password: str | None = None) -> dict[str, Any]:
    response = await client.post(
        "/api/users/login", json={"user": {"email": user["email"], "password": password or user["password"]}}
    )
    assert response.status_code == 200, response.text
    logged_in: dict[str, Any] = response.json()["user"]
    return logged_in


async def password_grant(client: httpx.AsyncClient, user: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/api/auth/token", data={"username": user["email"], "password": user["password"]})
    assert response.status_code == 200, response.text
    pair: dict[str, Any] = response.json()
    return pair


async def status_of(client: httpx.AsyncClient, token: str) -> int:
    return (await client.get("/api/user", headers=auth(token))).status_code


async def test_register_and_log_in_hand_out_a_token_of_seven_days(client: httpx.AsyncClient) -> None:
    user = await register(client)
    logged_in = await log_in(client, user)
    for signed_in in (user, logged_in):
        assert lifetime(signed_in["token"]) == WEEK
        assert lifetime(signed_in["refreshToken"]) == WEEK
        assert claims(signed_in["token"])["type"] == "access"
        assert claims(signed_in["token"])["sid"] == claims(signed_in["refreshToken"])["sid"]


async def test_the_current_user_comes_with_a_renewed_token_of_seven_days(client: httpx.AsyncClient) -> None:
    user = await register(client)
    for response in (
        await client.get("/api/user", headers=auth(user["token"])),
        await client.put("/api/user", headers=auth(user["token"]), json={"user": {"bio": "I write"}}),
    ):
        assert response.status_code == 200
        token = response.json()["user"]["token"]
        assert lifetime(token) == WEEK
        assert claims(token)["sid"] == claims(user["token"])["sid"]
        assert await status_of(client, token) == 200


async def test_api_clients_keep_short_access_tokens(client: httpx.AsyncClient) -> None:
    user = await register(client)
    pair = await password_grant(client, user)
    assert pair["expires_in"] == 900 and lifetime(pair["access_token"]) == 900
    # A session opened by a RealWorld log-in gets short tokens once it is refreshed: its client refreshes.
    refreshed = (await client.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})).json()
    assert refreshed["expires_in"] == 900 and lifetime(refreshed["access_token"]) == 900


async def test_the_lifetime_is_configurable() -> None:
    async with serve(create_app(make_settings(realworld_token_ttl_seconds=3600))) as client:
        user = await register(client)
        assert lifetime(user["token"]) == 3600
        assert lifetime((await password_grant(client, user))["access_token"]) == 900


async def test_it_never_outlives_the_sessions_absolute_lifetime() -> None:
    settings = make_settings(session_max_age_seconds=2 * DAY, refresh_token_ttl_seconds=DAY)
    async with serve(create_app(settings)) as client:
        user = await register(client)
        renewed = (await client.get("/api/user", headers=auth(user["token"]))).json()["user"]["token"]
        for token in (user["token"], renewed):
            assert claims(token)["exp"] == claims(token)["sxp"] == claims(user["token"])["iat"] + 2 * DAY


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def timed_app(clock: FixedClock) -> FastAPI:
    """An app whose clock moves only when the test moves it."""
    app = create_app(make_settings())
    app.state.container.clock.override(providers.Object(clock))
    return app


@pytest.fixture
async def timed(timed_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(timed_app) as client:
        yield client


async def test_a_realworld_token_outlasts_an_api_clients_token(clock: FixedClock, timed: httpx.AsyncClient) -> None:
    user = await register(timed)
    api_token = (await password_grant(timed, user))["access_token"]
    clock.advance(timedelta(days=6))
    assert await status_of(timed, user["token"]) == 200
    assert await status_of(timed, api_token) == 401
    clock.advance(timedelta(days=1, minutes=1))
    assert await status_of(timed, user["token"]) == 401


# Every way a session ends, each tried on a RealWorld token a day old (long past a short token's expiry).

async def test_log_out_ends_it_at_once(clock: FixedClock, timed: httpx.AsyncClient) -> None:
    user, other = await register(timed), await register(timed)
    clock.advance(timedelta(days=1))
    assert (await timed.post("/api/auth/logout", headers=auth(user["token"]))).status_code == 204
    assert await status_of(timed, user["token"]) == 401
    assert await status_of(timed, other["token"]) == 200


async def test_log_out_with_a_refreshed_token_of_the_same_session_ends_it(
    clock: FixedClock, timed: httpx.AsyncClient
) -> None:
    user = await register(timed)
    clock.advance(timedelta(days=1))
    refreshed = (await timed.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})).json()
    assert (await timed.post("/api/auth/logout", headers=auth(refreshed["access_token"]))).status_code == 204
    assert await status_of(timed, user["token"]) == 401


async def test_log_out_everywhere_ends_it_at_once(clock: FixedClock, timed: httpx.AsyncClient) -> None:
    user = await register(timed)
    clock.advance(timedelta(days=1))
    laptop = await password_grant(timed, user)
    assert (await timed.post("/api/auth/logout-all", headers=auth(laptop["access_token"]))).status_code == 204
    assert await status_of(timed, user["token"]) == 401


async def test_a_password_change_elsewhere_ends_it_at_once(clock: FixedClock, timed: httpx.AsyncClient) -> None:
    user = await register(timed)
    clock.advance(timedelta(days=1))
    laptop = await log_in(timed, user)
    changed = await timed.put("/api/user", headers=auth(laptop["token"]), json={"user": {"password": "a new secret"}})
    assert changed.status_code == 200
    assert await status_of(timed, user["token"]) == 401
    assert await status_of(timed, laptop["token"]) == 200  # the session that made the change stays signed in
    assert await status_of(timed, changed.json()["user"]["token"]) == 200


async def test_deactivation_ends_it_at_once(timed_app: FastAPI, clock: FixedClock, timed: httpx.AsyncClient) -> None:
    user, boss = await register(timed), await register(timed)
    await make_admin(timed_app, boss["username"])
    clock.advance(timedelta(days=1))
    boss_token = (await log_in(timed, boss))["token"]
    response = await timed.patch(
        f"/api/admin/users/{user['username']}", json={"user": {"active": False}}, headers=auth(boss_token)
    )
    assert response.status_code == 200, response.text
    assert await status_of(timed, user["token"]) == 401


async def test_reuse_of_a_spent_refresh_token_ends_it_at_once(clock: FixedClock, timed: httpx.AsyncClient) -> None:
    user = await register(timed)
    clock.advance(timedelta(days=1))
    assert (await timed.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})).status_code == 200
    replay = await timed.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})
    assert replay.status_code == 401
    assert await status_of(timed, user["token"]) == 401
