"""Password reset: asking for the mail without revealing who has an account, and spending its token."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from dependency_injector import providers
from fastapi import FastAPI

from adapters.memory.clock import FixedClock
from entrypoints.http.app import create_app
from tests.http.conftest import auth, make_settings, register, unique
from tests.http.jobs_support import job_ids, mails_to, run_jobs, sent, serve, token_in

INVALID_TOKEN = {"errors": {"token": ["is invalid or has expired"]}}
NEW_PASSWORD = "a brand new passphrase"


async def reset_token(app: FastAPI, client: httpx.AsyncClient, email: str) -> str:
    """Ask for a reset mail for `email`, run the jobs, and return the token of the last one sent to it."""
    response = await client.post("/api/auth/forgot-password", json={"email": email})
    assert response.status_code == 202, response.text
    await run_jobs(app)
    return token_in(mails_to(app, email, "reset_password")[-1])


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/users/login", json={"user": {"email": email, "password": password}})


async def reset(client: httpx.AsyncClient, token: str, password: str = NEW_PASSWORD) -> httpx.Response:
    return await client.post("/api/auth/reset-password", json={"token": token, "password": password})


async def test_forgot_password_answers_alike_for_known_and_unknown_addresses(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await register(client)
    unknown = f"{unique('nobody')}@example.com"
    known_answer = await client.post("/api/auth/forgot-password", json={"email": user["email"]})
    unknown_answer = await client.post("/api/auth/forgot-password", json={"email": unknown})
    for response in (known_answer, unknown_answer):
        assert response.status_code == 202
        assert response.content == b""
    assert known_answer.headers.get("content-type") == unknown_answer.headers.get("content-type")


async def test_forgot_password_mails_a_reset_link_only_to_a_known_address(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await register(client)
    unknown = f"{unique('nobody')}@example.com"
    await run_jobs(app)  # the verification mail of the registration
    before = len(sent(app))
    await client.post("/api/auth/forgot-password", json={"email": user["email"].upper()})
    await client.post("/api/auth/forgot-password", json={"email": unknown})
    assert len(sent(app)) == before  # nothing is sent inside the requests
    await run_jobs(app)
    (mail,) = sent(app)[before:]
    assert (mail.template, mail.to) == ("reset_password", user["email"])
    assert mail.link is not None and mail.link.startswith("http://localhost:3000/reset-password?token=")
    assert mails_to(app, unknown) == []


async def test_forgot_password_queues_a_job_for_an_unknown_address_too(app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/forgot-password", json={"email": f"{unique('nobody')}@example.com"})
    assert response.status_code == 202
    assert len(job_ids(app, "send_password_reset_mail")) == 1


async def test_forgot_password_refuses_an_address_that_cannot_exist(app: FastAPI, client: httpx.AsyncClient) -> None:
    for email in ("not-an-email", "two@@example.com", "@example.com"):
        response = await client.post("/api/auth/forgot-password", json={"email": email})
        assert response.status_code == 422, email
        assert response.json() == {"errors": {"email": ["is invalid"]}}
    assert job_ids(app, "send_password_reset_mail") == []


async def test_forgot_password_without_an_address_is_422(client: httpx.AsyncClient) -> None:
    bodies: list[dict[str, Any]] = [{}, {"email": ""}, {"email": None}]
    for body in bodies:
        response = await client.post("/api/auth/forgot-password", json=body)
        assert response.status_code == 422, body
        assert list(response.json()["errors"]) == ["email"]


async def test_forgot_password_refuses_an_address_longer_than_the_limit(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/forgot-password", json={"email": "a" * 400 + "@example.com"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["email"]


async def test_reset_password_answers_204_and_swaps_the_password(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await reset(client, await reset_token(app, client, user["email"]))
    assert response.status_code == 204
    assert response.content == b""
    old = await log_in(client, user["email"], user["password"])
    assert old.status_code == 401
    assert old.json() == {"errors": {"credentials": ["invalid"]}}
    assert (await log_in(client, user["email"], NEW_PASSWORD)).status_code == 200


async def test_reset_password_ends_every_session_of_the_user(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    other = (await log_in(client, user["email"], user["password"])).json()["user"]
    token = await reset_token(app, client, user["email"])
    assert (await reset(client, token)).status_code == 204
    for access in (user["token"], other["token"]):
        response = await client.get("/api/user", headers=auth(access))
        assert response.status_code == 401
    for refresh in (user["refreshToken"], other["refreshToken"]):
        response = await client.post("/api/auth/refresh", json={"refresh_token": refresh})
        assert response.status_code == 401
    fresh = (await log_in(client, user["email"], NEW_PASSWORD)).json()["user"]
    assert (await client.get("/api/user", headers=auth(fresh["token"]))).status_code == 200


async def test_reset_password_does_not_touch_other_users(app: FastAPI, client: httpx.AsyncClient) -> None:
    user, bystander = await register(client), await register(client)
    assert (await reset(client, await reset_token(app, client, user["email"]))).status_code == 204
    assert (await client.get("/api/user", headers=auth(bystander["token"]))).status_code == 200
    assert (await log_in(client, bystander["email"], bystander["password"])).status_code == 200


async def test_reset_password_queues_a_password_changed_mail(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    token = await reset_token(app, client, user["email"])
    assert job_ids(app, "send_password_changed_mail") == []
    assert (await reset(client, token)).status_code == 204
    assert len(job_ids(app, "send_password_changed_mail")) == 1
    await run_jobs(app)
    (mail,) = mails_to(app, user["email"], "password_changed")
    assert mail.context["username"] == user["username"]
    assert mail.link is None


async def test_a_reset_token_works_only_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    token = await reset_token(app, client, user["email"])
    assert (await reset(client, token)).status_code == 204
    again = await reset(client, token, "yet another passphrase")
    assert again.status_code == 422
    assert again.json() == INVALID_TOKEN
    assert (await log_in(client, user["email"], NEW_PASSWORD)).status_code == 200


async def test_using_one_reset_link_spends_every_other_one_mailed_before(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await register(client)
    first = await reset_token(app, client, user["email"])
    second = await reset_token(app, client, user["email"])
    assert first != second
    assert (await reset(client, second)).status_code == 204
    response = await reset(client, first, "yet another passphrase")
    assert response.status_code == 422
    assert response.json() == INVALID_TOKEN


async def test_changing_the_password_through_put_user_spends_an_outstanding_reset_link(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await register(client)
    token = await reset_token(app, client, user["email"])
    changed = await client.put(
        "/api/user", headers=auth(user["token"]), json={"user": {"password": "changed it myself"}}
    )
    assert changed.status_code == 200
    response = await reset(client, token)
    assert response.status_code == 422
    assert response.json() == INVALID_TOKEN


async def test_a_weak_new_password_is_422_and_leaves_the_token_usable(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    token = await reset_token(app, client, user["email"])
    for password, message in (("short7c", None), ("password123", "is too common"), ("", "can't be blank")):
        response = await reset(client, token, password)
        assert response.status_code == 422, password
        errors = response.json()["errors"]
        assert list(errors) == ["password"]
        if message is not None:
            assert errors["password"] == [message]
    assert (await log_in(client, user["email"], user["password"])).status_code == 200
    assert (await reset(client, token)).status_code == 204


async def test_a_verification_token_is_not_a_reset_token(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    await run_jobs(app)
    verify_token = token_in(mails_to(app, user["email"], "verify_email")[-1])
    response = await reset(client, verify_token)
    assert response.status_code == 422
    assert response.json() == INVALID_TOKEN
    assert (await log_in(client, user["email"], user["password"])).status_code == 200


async def test_session_tokens_are_not_reset_tokens(client: httpx.AsyncClient) -> None:
    user = await register(client)
    for token in (user["token"], user["refreshToken"]):
        response = await reset(client, token)
        assert response.status_code == 422
        assert response.json() == INVALID_TOKEN
    assert (await log_in(client, user["email"], user["password"])).status_code == 200


async def test_a_garbage_reset_token_is_422(client: httpx.AsyncClient) -> None:
    response = await reset(client, "not-a-token")
    assert response.status_code == 422
    assert response.json() == INVALID_TOKEN


async def test_a_bad_token_is_reported_before_a_weak_password(client: httpx.AsyncClient) -> None:
    response = await reset(client, "not-a-token", "short")
    assert response.status_code == 422
    assert response.json() == INVALID_TOKEN


async def test_reset_password_with_a_missing_field_is_422_in_the_error_model(client: httpx.AsyncClient) -> None:
    for missing in ("token", "password"):
        body = {"token": "x", "password": NEW_PASSWORD}
        del body[missing]
        response = await client.post("/api/auth/reset-password", json=body)
        assert response.status_code == 422
        assert response.json() == {"errors": {missing: ["can't be blank"]}}


async def test_an_expired_reset_token_is_422() -> None:
    clock = FixedClock(datetime.now(UTC))
    app = create_app(make_settings())
    app.state.container.clock.override(providers.Object(clock))
    async with serve(app) as client:
        user = await register(client)
        token = await reset_token(app, client, user["email"])
        clock.advance(timedelta(hours=1, seconds=31))  # past the hour and the codec's 30 s of leeway
        response = await reset(client, token)
        assert response.status_code == 422
        assert response.json() == INVALID_TOKEN
        assert (await log_in(client, user["email"], user["password"])).status_code == 200


async def test_two_racing_resets_with_one_token_let_only_one_through(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    token = await reset_token(app, client, user["email"])
    first, second = await asyncio.gather(reset(client, token, "first racer passphrase"),
                                         reset(client, token, "second racer passphrase"))
    assert sorted([first.status_code, second.status_code]) == [204, 422]
    winner = "first racer passphrase" if first.status_code == 204 else "second racer passphrase"
    loser = "second racer passphrase" if winner.startswith("first") else "first racer passphrase"
    assert (await log_in(client, user["email"], winner)).status_code == 200
    assert (await log_in(client, user["email"], loser)).status_code == 401
    assert len(job_ids(app, "send_password_changed_mail")) == 1
