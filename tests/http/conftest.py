"""HTTP tests drive the ASGI app in the `test` profile (in-memory adapters) through httpx."""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from dependency_injector import providers
from fastapi import FastAPI

from adapters.security.bcrypt_hasher import BcryptPasswordHasher
from entrypoints.http.app import create_app
from entrypoints.settings import Settings

JWT_SECRET = "http-tests-secret-long-enough-for-every-hmac-algorithm-0123456789"


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "inkwell_profile": "test",
        "jwt_secret": JWT_SECRET,
        "password_pepper": "http-tests-pepper-of-at-least-32-bytes!!",
        "log_level": "WARNING",
        # These tests sign in far more often than a person would; the rate-limit tests turn limits on.
        "rate_limits_enabled": False,
    }
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


@pytest.fixture
def app() -> FastAPI:
    return create_app(make_settings())


@pytest.fixture
def one_slot_hasher(app: FastAPI) -> Iterator[BcryptPasswordHasher]:
    """Real bcrypt, one thread, one hash allowed to wait. Ten rounds: each hash still outlasts the requests
    that arrive together, and the thread, at the lowest priority, finishes even on a busy machine."""
    hasher = BcryptPasswordHasher(pepper="http-tests-pepper-of-at-least-32-bytes!!", rounds=10, threads=1,
                                  max_waiting=1)
    app.state.container.security.hasher.override(providers.Object(hasher))
    try:
        yield hasher
    finally:
        app.state.container.security.hasher.reset_override()
        hasher.close()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as http:
            yield http


_counter = iter(range(1_000_000))


def unique(prefix: str = "user") -> str:
    return f"{prefix}{next(_counter)}"


async def register(
    client: httpx.AsyncClient, name: str | None = None, password: str = "correct horse"
) -> dict[str, Any]:
    """Register a fresh user and return the RealWorld user object (with token and refreshToken)."""
    name = name or unique()
    response = await client.post(
        "/api/users", json={"user": {"username": name, "email": f"{name}@example.com", "password": password}}
    )
    assert response.status_code == 201, response.text
    user: dict[str, Any] = response.json()["user"]
    user["password"] = password
    return user


def auth(token: str, scheme: str = "Token") -> dict[str, str]:
    return {"Authorization": f"{scheme} {token}"}
