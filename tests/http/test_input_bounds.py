"""Bounds on what a request may carry, however it carries it: the body-size cap holds for a chunked body
(no Content-Length), and the OAuth2 password form is bounded like the JSON log-in, before any hashing."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from dependency_injector import providers
from fastapi import FastAPI

from domain.passwords import MAX_LENGTH as PASSWORD_MAX
from domain.users import EMAIL_MAX_LENGTH
from entrypoints.http.app import create_app
from tests.doubles import CountingPasswordHasher
from tests.http.conftest import make_settings, register
from tests.http.jobs_support import serve

LIMIT = 2048


async def chunks(total: int, size: int = 512) -> AsyncIterator[bytes]:
    """A body that httpx sends chunked: it has no length to declare."""
    for start in range(0, total, size):
        yield b" " * min(size, total - start)


@pytest.mark.parametrize(("path", "content_type"),
                         [("/api/users", "application/json"), ("/api/auth/token", "application/x-www-form-urlencoded")])
async def test_chunked_body_over_limit_is_413(path: str, content_type: str) -> None:
    async with serve(create_app(make_settings(max_body_bytes=LIMIT))) as client:
        response = await client.post(path, content=chunks(4 * LIMIT), headers={"Content-Type": content_type})
    assert "content-length" not in response.request.headers
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413
    assert response.json() == {"errors": {"body": ["is too large"]}}


async def test_chunked_body_within_the_limit_is_read() -> None:
    async with serve(create_app(make_settings(max_body_bytes=LIMIT))) as client:
        body = b'{"user": {"email": "chunked@example.com", "password": "x"}}'

        async def in_two_chunks() -> AsyncIterator[bytes]:
            yield body[:10]
            yield body[10:]

        response = await client.post("/api/users/login", content=in_two_chunks(),
                                     headers={"Content-Type": "application/json"})
    assert response.status_code == 401  # read, parsed and judged: no such account


@pytest.fixture
def hasher(app: FastAPI) -> Iterator[CountingPasswordHasher]:
    counting = CountingPasswordHasher()
    app.state.container.security.hasher.override(providers.Object(counting))
    try:
        yield counting
    finally:
        app.state.container.security.hasher.reset_override()


@pytest.mark.parametrize(
    ("field", "limit"),
    [("password", PASSWORD_MAX), ("username", EMAIL_MAX_LENGTH), ("scope", 256), ("client_id", 256),
     ("client_secret", 256)],
)
async def test_token_form_field_over_its_limit_is_422_before_any_hashing(
    client: httpx.AsyncClient, hasher: CountingPasswordHasher, field: str, limit: int
) -> None:
    user = await register(client)
    form = {"username": user["email"], "password": user["password"], field: "x" * (limit + 1)}
    response = await client.post("/api/auth/token", data=form)
    assert response.status_code == 422
    assert response.json() == {"errors": {field: [f"String should have at most {limit} characters"]}}
    assert hasher.verifications == 0


async def test_a_500_kb_password_in_the_token_form_is_never_hashed(
    client: httpx.AsyncClient, hasher: CountingPasswordHasher
) -> None:
    response = await client.post("/api/auth/token", data={"username": "a@example.com", "password": "p" * 500_000})
    assert response.status_code == 422
    assert "password" in response.json()["errors"]
    assert hasher.verifications == 0


async def test_token_form_at_its_limits_still_logs_in(client: httpx.AsyncClient) -> None:
    user = await register(client, password="p" * PASSWORD_MAX)
    form = {"grant_type": "password", "username": user["email"], "password": user["password"], "scope": "s" * 256,
            "client_id": "c" * 256, "client_secret": "k" * 256}
    response = await client.post("/api/auth/token", data=form)
    assert response.status_code == 200, response.text


async def test_token_form_refuses_another_grant_type(client: httpx.AsyncClient) -> None:
    user = await register(client)
    form = {"grant_type": "client_credentials", "username": user["email"], "password": user["password"]}
    response = await client.post("/api/auth/token", data=form)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["grant_type"]
