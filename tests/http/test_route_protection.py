"""Every route that is not public refuses a caller without credentials, found by walking the OpenAPI paths."""

import re
import uuid

import httpx
import pytest
from fastapi import FastAPI

from tests.http.conftest import auth, make_settings, register

# (method, path) pairs anyone may call; everything else must answer 401 without a token.
PUBLIC = {
    ("get", "/"), ("get", "/health/live"), ("get", "/health/ready"),
    ("post", "/api/users"), ("post", "/api/users/login"), ("post", "/api/auth/token"), ("post", "/api/auth/refresh"),
    ("get", "/api/profiles/{username}"), ("get", "/api/articles"), ("get", "/api/articles/{slug}"),
    ("get", "/api/articles/{slug}/comments"), ("get", "/api/tags"),
    ("post", "/api/auth/verify-email"), ("post", "/api/auth/forgot-password"), ("post", "/api/auth/reset-password"),
}


def _operations() -> list[tuple[str, str]]:
    from entrypoints.http.app import create_app

    schema = create_app(make_settings()).openapi()
    return [(method, path) for path, operations in schema["paths"].items() for method in operations]


@pytest.mark.parametrize(("method", "path"), [op for op in _operations() if op not in PUBLIC])
async def test_checklist_20_a_protected_route_is_401_without_a_token(
    client: httpx.AsyncClient, method: str, path: str
) -> None:
    concrete = re.sub(r"\{comment_id\}", "1", re.sub(r"\{[^}]+\}", "anything", path))
    response = await client.request(method.upper(), concrete, json={})
    assert response.status_code == 401, f"{method.upper()} {path} answered {response.status_code}"
    assert response.json() == {"errors": {"token": ["is missing"]}}


@pytest.mark.parametrize(("method", "path"), [op for op in _operations() if op[1].startswith("/api/admin/")])
async def test_checklist_20_an_admin_route_is_403_for_a_user(client: httpx.AsyncClient, method: str, path: str) -> None:
    user = await register(client)
    concrete = re.sub(r"\{job_id\}", str(uuid.uuid4()), re.sub(r"\{username\}", user["username"], path))
    # A body every admin route accepts (the others ignore it), so that only the role can refuse: here a
    # user trying to make themselves an administrator.
    body = {"user": {"role": "admin", "active": True}}
    response = await client.request(method.upper(), concrete, json=body, headers=auth(user["token"]))
    assert response.status_code == 403, f"{method.upper()} {path} answered {response.status_code}"
    assert response.json() == {"errors": {"admin": ["only administrators may do this"]}}


def test_there_are_admin_routes_to_check() -> None:
    assert any(path.startswith("/api/admin/") for _, path in _operations())


def test_every_public_route_still_exists(app: FastAPI) -> None:
    operations = set(_operations())
    assert operations >= PUBLIC
