"""Address verification: the `emailVerified` flag, the mailed token, resending it, and a changed address."""

from datetime import UTC, datetime, timedelta

import httpx
from dependency_injector import providers
from fastapi import FastAPI

from adapters.memory.clock import FixedClock
from entrypoints.http.app import create_app
from tests.http.conftest import auth, make_settings, register
from tests.http.jobs_support import mails_to, run_jobs, serve, token_in

INVALID_TOKEN = {"errors": {"token": ["is invalid or has expired"]}}


async def verification_token(app: FastAPI, address: str) -> str:
    """Run the queued jobs and return the token of the last verification mail sent to `address`."""
    await run_jobs(app)
    return token_in(mails_to(app, address, "verify_email")[-1])


async def me(client: httpx.AsyncClient, token: str) -> dict[str, object]:
    response = await client.get("/api/user", headers=auth(token))
    assert response.status_code == 200, response.text
    user: dict[str, object] = response.json()["user"]
    return user


async def test_a_new_user_is_unverified_on_register_login_and_current_user(client: httpx.AsyncClient) -> None:
    user = await register(client)
    assert user["emailVerified"] is False
    login = await client.post("/api/users/login", json={"user": {"email": user["email"], "password": user["password"]}})
    assert login.json()["user"]["emailVerified"] is False
    assert (await me(client, user["token"]))["emailVerified"] is False


async def test_registering_mails_a_verification_link_once_the_job_runs(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    assert mails_to(app, user["email"]) == []  # nothing is sent inside the request
    await run_jobs(app)
    (mail,) = mails_to(app, user["email"])
    assert mail.template == "verify_email"
    assert mail.link is not None and mail.link.startswith("http://localhost:3000/verify-email?token=")
    assert mail.context["username"] == user["username"]


async def test_verifying_with_the_mailed_token_answers_204_and_marks_the_address_verified(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await register(client)
    token = await verification_token(app, user["email"])
    response = await client.post("/api/auth/verify-email", json={"token": token})
    assert response.status_code == 204
    assert response.content == b""
    assert (await me(client, user["token"]))["emailVerified"] is True
    login = await client.post("/api/users/login", json={"user": {"email": user["email"], "password": user["password"]}})
    assert login.json()["user"]["emailVerified"] is True
    updated = await client.put("/api/user", headers=auth(user["token"]), json={"user": {"bio": "verified"}})
    assert updated.json()["user"]["emailVerified"] is True


async def test_a_verification_token_works_only_once(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    token = await verification_token(app, user["email"])
    assert (await client.post("/api/auth/verify-email", json={"token": token})).status_code == 204
    again = await client.post("/api/auth/verify-email", json={"token": token})
    assert again.status_code == 422
    assert again.json() == INVALID_TOKEN


async def test_a_malformed_or_forged_verification_token_is_422(client: httpx.AsyncClient) -> None:
    for token in ("not-a-token", "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl", "x" * 4096):
        response = await client.post("/api/auth/verify-email", json={"token": token})
        assert response.status_code == 422, token
        assert response.json() == INVALID_TOKEN


async def test_a_verification_token_with_a_flipped_signature_is_422(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    token = await verification_token(app, user["email"])
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = await client.post("/api/auth/verify-email", json={"token": forged})
    assert response.status_code == 422
    assert response.json() == INVALID_TOKEN
    assert (await me(client, user["token"]))["emailVerified"] is False


async def test_session_tokens_are_not_verification_tokens(client: httpx.AsyncClient) -> None:
    user = await register(client)
    for token in (user["token"], user["refreshToken"]):
        response = await client.post("/api/auth/verify-email", json={"token": token})
        assert response.status_code == 422
        assert response.json() == INVALID_TOKEN
    assert (await me(client, user["token"]))["emailVerified"] is False


async def test_a_reset_password_token_is_not_a_verification_token(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    await client.post("/api/auth/forgot-password", json={"email": user["email"]})
    await run_jobs(app)
    reset_token = token_in(mails_to(app, user["email"], "reset_password")[-1])
    response = await client.post("/api/auth/verify-email", json={"token": reset_token})
    assert response.status_code == 422
    assert response.json() == INVALID_TOKEN


async def test_verify_email_without_a_token_is_422_in_the_error_model(client: httpx.AsyncClient) -> None:
    bodies: list[dict[str, object]] = [{}, {"token": None}, {"token": ""}, {"tokens": "x"}]
    for body in bodies:
        response = await client.post("/api/auth/verify-email", json=body)
        assert response.status_code == 422, body
        errors = response.json()["errors"]
        assert list(errors) == ["token"]
        assert errors["token"] and all(isinstance(message, str) for message in errors["token"])
    missing = await client.post("/api/auth/verify-email", json={})
    assert missing.json() == {"errors": {"token": ["can't be blank"]}}


async def test_verify_email_refuses_a_token_longer_than_the_limit(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/verify-email", json={"token": "x" * 4097})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["token"]


async def test_an_expired_verification_token_is_422() -> None:
    clock = FixedClock(datetime.now(UTC))
    app = create_app(make_settings())
    app.state.container.clock.override(providers.Object(clock))
    async with serve(app) as client:
        user = await register(client)
        token = await verification_token(app, user["email"])
        clock.advance(timedelta(hours=24, seconds=31))  # past the 24 hours and the codec's 30 s of leeway
        response = await client.post("/api/auth/verify-email", json={"token": token})
        assert response.status_code == 422
        assert response.json() == INVALID_TOKEN


async def test_a_verification_token_just_before_expiry_still_works() -> None:
    clock = FixedClock(datetime.now(UTC))
    app = create_app(make_settings())
    app.state.container.clock.override(providers.Object(clock))
    async with serve(app) as client:
        user = await register(client)
        token = await verification_token(app, user["email"])
        clock.advance(timedelta(hours=23, minutes=59))
        assert (await client.post("/api/auth/verify-email", json={"token": token})).status_code == 204


async def test_resend_answers_202_and_mails_a_new_link(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    first = await verification_token(app, user["email"])
    response = await client.post("/api/auth/verify-email/resend", headers=auth(user["token"]))
    assert response.status_code == 202
    assert response.content == b""
    second = await verification_token(app, user["email"])
    assert len(mails_to(app, user["email"], "verify_email")) == 2
    assert second != first
    assert (await client.post("/api/auth/verify-email", json={"token": second})).status_code == 204
    assert (await me(client, user["token"]))["emailVerified"] is True


async def test_an_earlier_link_stays_valid_after_a_resend(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    first = await verification_token(app, user["email"])
    await client.post("/api/auth/verify-email/resend", headers=auth(user["token"]))
    await run_jobs(app)
    assert (await client.post("/api/auth/verify-email", json={"token": first})).status_code == 204


async def test_resend_once_verified_is_409(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    await client.post("/api/auth/verify-email", json={"token": await verification_token(app, user["email"])})
    response = await client.post("/api/auth/verify-email/resend", headers=auth(user["token"]))
    assert response.status_code == 409
    assert response.json() == {"errors": {"email": ["is already verified"]}}
    await run_jobs(app)
    assert len(mails_to(app, user["email"], "verify_email")) == 1


async def test_resend_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/auth/verify-email/resend")
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}
    assert response.headers["WWW-Authenticate"] == "Token"


async def test_resend_with_a_refresh_token_is_401(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.post("/api/auth/verify-email/resend", headers=auth(user["refreshToken"]))
    assert response.status_code == 401


async def test_a_new_email_is_unverified_and_gets_its_own_verification_mail(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await register(client)
    await client.post("/api/auth/verify-email", json={"token": await verification_token(app, user["email"])})
    new_email = f"moved-{user['username']}@example.com"
    response = await client.put("/api/user", headers=auth(user["token"]), json={"user": {"email": new_email}})
    assert response.status_code == 200
    assert response.json()["user"]["email"] == new_email
    assert response.json()["user"]["emailVerified"] is False
    assert (await me(client, user["token"]))["emailVerified"] is False
    token = await verification_token(app, new_email)
    assert len(mails_to(app, user["email"], "verify_email")) == 1  # nothing more to the old address
    assert (await client.post("/api/auth/verify-email", json={"token": token})).status_code == 204
    assert (await me(client, user["token"]))["emailVerified"] is True


async def test_a_link_for_the_old_address_does_not_verify_the_new_one(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    old_token = await verification_token(app, user["email"])
    new_email = f"moved-{user['username']}@example.com"
    await client.put("/api/user", headers=auth(user["token"]), json={"user": {"email": new_email}})
    response = await client.post("/api/auth/verify-email", json={"token": old_token})
    assert response.status_code == 422
    assert response.json() == INVALID_TOKEN
    assert (await me(client, user["token"]))["emailVerified"] is False


async def test_updating_the_email_to_the_same_address_keeps_it_verified(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    user = await register(client)
    await client.post("/api/auth/verify-email", json={"token": await verification_token(app, user["email"])})
    response = await client.put(
        "/api/user", headers=auth(user["token"]), json={"user": {"email": user["email"].upper()}}
    )
    assert response.status_code == 200
    assert response.json()["user"]["emailVerified"] is True
    await run_jobs(app)
    assert len(mails_to(app, user["email"], "verify_email")) == 1
