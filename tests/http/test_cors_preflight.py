"""CORS preflights: an allowed one is answered as browsers expect; a refused one is a 403 in the error
model (JSON, like every other refusal), never Starlette's plain-text 400."""

from collections.abc import AsyncIterator

import httpx
import pytest

from entrypoints.http.app import create_app
from tests.http.conftest import make_settings
from tests.http.jobs_support import serve

ALLOWED_ORIGIN = "http://app.test"


@pytest.fixture
async def cors_client() -> AsyncIterator[httpx.AsyncClient]:
    async with serve(create_app(make_settings(cors_origins=ALLOWED_ORIGIN))) as client:
        yield client


def preflight(origin: str, method: str = "PUT", headers: str = "authorization,content-type") -> dict[str, str]:
    return {"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers}


async def test_an_allowed_preflight_is_answered_with_the_origin(cors_client: httpx.AsyncClient) -> None:
    response = await cors_client.options("/api/user", headers=preflight(ALLOWED_ORIGIN))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"
    assert {"PUT", "PATCH"} <= set(response.headers["access-control-allow-methods"].split(", "))


@pytest.mark.parametrize(
    ("request_headers", "messages"),
    [
        (preflight("http://evil.test"), ["origin is not allowed"]),
        (preflight(ALLOWED_ORIGIN, method="TRACE"), ["method is not allowed"]),
        (preflight(ALLOWED_ORIGIN, headers="x-secret-header"), ["headers are not allowed"]),
        (preflight("http://evil.test", method="TRACE"), ["origin is not allowed", "method is not allowed"]),
    ],
)
async def test_a_refused_preflight_is_403_in_the_error_model(
    cors_client: httpx.AsyncClient, request_headers: dict[str, str], messages: list[str]
) -> None:
    response = await cors_client.options("/api/user", headers=request_headers)
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"errors": {"cors": messages}}
    if request_headers["Origin"] != ALLOWED_ORIGIN:
        assert "access-control-allow-origin" not in response.headers
    assert response.headers["x-request-id"]


async def test_checklist_27_a_simple_request_from_a_refused_origin_gets_no_allow_origin(
    cors_client: httpx.AsyncClient,
) -> None:
    response = await cors_client.get("/api/tags", headers={"Origin": "http://evil.test"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_checklist_27_a_wildcard_origin_with_credentials_refuses_to_start() -> None:
    with pytest.raises(ValueError, match="CORS_ORIGINS may not contain"):
        make_settings(cors_origins="https://conduit.example,*")
