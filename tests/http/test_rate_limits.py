"""Rate limits over HTTP (checklist 23): 429 in the error model with Retry-After, per account and per
client address for log-ins, identical for unknown accounts; registration per address; refresh per
session; reset and verification mails per recipient and per address; X-Forwarded-For believed only
from TRUSTED_PROXIES."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from entrypoints.http.app import create_app
from tests.http.conftest import make_settings, register, unique

# httpx's ASGI transport presents every request as coming from this peer.
PEER = "127.0.0.1"


def app_with(**settings: Any) -> FastAPI:
    return create_app(make_settings(
        rate_limits_enabled=True, rate_limit_login="3/minute", rate_limit_register="2/minute",
        rate_limit_refresh="2/minute", rate_limit_mail="2/minute", **settings,
    ))


@pytest.fixture
def app() -> FastAPI:
    return app_with(trusted_proxies=[PEER])


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as http:
            yield http


def at(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def log_in(client: httpx.AsyncClient, email: str, password: str = "wrong password", *,
                 address: str = "203.0.113.1") -> httpx.Response:
    return await client.post("/api/users/login", json={"user": {"email": email, "password": password}},
                             headers=at(address))


def assert_limited(response: httpx.Response, field: str) -> None:
    assert response.status_code == 429, response.text
    assert response.json() == {"errors": {field: ["too many attempts, try again later"]}}
    assert 1 <= int(response.headers["Retry-After"]) <= 60


async def test_checklist_23_log_ins_to_one_account_are_limited_from_any_address(client: httpx.AsyncClient) -> None:
    jake = await register(client)
    for n in range(3):
        assert (await log_in(client, jake["email"], address=f"203.0.113.{n}")).status_code == 401
    limited = await log_in(client, jake["email"], jake["password"], address="203.0.113.99")
    assert_limited(limited, "log in")  # even with the right password: the limit comes before the password


async def test_checklist_23_unknown_and_known_accounts_get_the_same_429(client: httpx.AsyncClient) -> None:
    jake = await register(client)
    answers = []
    for email in (jake["email"], "nobody@example.com"):
        for _ in range(3):
            assert (await log_in(client, email, address="198.51.100.1" if email == jake["email"]
                                 else "198.51.100.2")).status_code == 401
        answers.append(await log_in(client, email, address="198.51.100.3"))
    known, unknown = answers
    assert_limited(known, "log in")
    assert (unknown.status_code, unknown.content) == (known.status_code, known.content)
    names = {*known.headers, *unknown.headers}
    differing = {name for name in names if known.headers.get(name) != unknown.headers.get(name)}
    assert differing <= {"x-request-id", "retry-after"}


async def test_checklist_23_log_ins_from_one_address_are_limited_across_accounts(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        assert (await log_in(client, f"{unique()}@example.com", address="192.0.2.10")).status_code == 401
    assert_limited(await log_in(client, f"{unique()}@example.com", address="192.0.2.10"), "log in")
    assert (await log_in(client, f"{unique()}@example.com", address="192.0.2.11")).status_code == 401


async def test_the_oauth2_form_and_the_realworld_log_in_share_the_count(client: httpx.AsyncClient) -> None:
    jake = await register(client)
    for _ in range(2):
        assert (await log_in(client, jake["email"], address="192.0.2.20")).status_code == 401
    form = await client.post("/api/auth/token", data={"username": jake["email"], "password": "wrong password"},
                             headers=at("192.0.2.21"))
    assert form.status_code == 401
    form = await client.post("/api/auth/token", data={"username": jake["email"], "password": jake["password"]},
                             headers=at("192.0.2.22"))
    assert_limited(form, "log in")


async def test_checklist_23_registrations_are_limited_per_address(client: httpx.AsyncClient) -> None:
    def registration(name: str) -> dict[str, Any]:
        return {"user": {"username": name, "email": f"{name}@example.com", "password": "correct horse"}}

    for _ in range(2):
        created = await client.post("/api/users", json=registration(unique()), headers=at("192.0.2.30"))
        assert created.status_code == 201
    assert_limited(await client.post("/api/users", json=registration(unique()), headers=at("192.0.2.30")),
                   "registration")
    assert (await client.post("/api/users", json=registration(unique()), headers=at("192.0.2.31"))).status_code == 201


async def test_refreshes_are_limited_per_session(client: httpx.AsyncClient) -> None:
    jake = await register(client)
    token = jake["refreshToken"]
    for _ in range(2):
        refreshed = await client.post("/api/auth/refresh", json={"refresh_token": token})
        assert refreshed.status_code == 200, refreshed.text
        token = refreshed.json()["refresh_token"]
    assert_limited(await client.post("/api/auth/refresh", json={"refresh_token": token}), "refresh")
    other = await register(client, password="correct horse")
    assert (await client.post("/api/auth/refresh", json={"refresh_token": other["refreshToken"]})).status_code == 200


async def test_checklist_23_reset_mails_are_limited_per_recipient_and_per_address(client: httpx.AsyncClient) -> None:
    async def forgot(email: str, address: str) -> httpx.Response:
        return await client.post("/api/auth/forgot-password", json={"email": email}, headers=at(address))

    for n in range(2):
        assert (await forgot("jake@example.com", f"192.0.2.{40 + n}")).status_code == 202
    assert_limited(await forgot("JAKE@example.com", "192.0.2.49"), "mail")
    assert (await forgot("jane@example.com", "192.0.2.50")).status_code == 202
    assert (await forgot("joan@example.com", "192.0.2.50")).status_code == 202
    assert_limited(await forgot("june@example.com", "192.0.2.50"), "mail")


async def test_verification_mails_asked_for_again_are_limited(client: httpx.AsyncClient) -> None:
    jake = await register(client)
    auth = {"Authorization": f"Token {jake['token']}"}
    # Registration asked for none through this route; each resend counts against the address.
    for _ in range(2):
        assert (await client.post("/api/auth/verify-email/resend", headers=auth)).status_code == 202
    assert_limited(await client.post("/api/auth/verify-email/resend", headers=auth), "mail")


async def test_x_forwarded_for_is_ignored_from_a_peer_that_is_not_trusted() -> None:
    app = app_with(trusted_proxies=["10.0.0.0/8"])
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as client:
            # Each request claims another address, but the peer is not a trusted proxy: all count as the peer.
            for n in range(3):
                assert (await log_in(client, f"{unique()}@example.com", address=f"192.0.2.{n}")).status_code == 401
            assert_limited(await log_in(client, f"{unique()}@example.com", address="192.0.2.9"), "log in")


async def test_switched_off_nothing_is_limited() -> None:
    app = create_app(make_settings(rate_limits_enabled=False, rate_limit_login="1/minute"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as client:
            for _ in range(5):
                assert (await log_in(client, "jake@example.com")).status_code == 401
