"""Cross-cutting HTTP behaviour: error model for unknown routes and bad bodies, limits, request ids, docs."""

import httpx
import pytest
from fastapi import FastAPI

from entrypoints.http.app import create_app
from tests.http.conftest import make_settings


async def test_unknown_route_is_404_in_the_error_model(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"errors": {"request": ["not found"]}}


async def test_malformed_json_is_400_in_the_error_model(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/users", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "errors" in response.json()


async def test_a_body_of_the_wrong_shape_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/users", json={"user": "a string"})
    assert response.status_code == 422
    assert "errors" in response.json()


async def test_oversized_string_is_422_not_500(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/users", json={"user": {"username": "u" * 10_000, "email": "a@b.co", "password": "12345678"}}
    )
    assert response.status_code == 422


async def test_an_oversized_body_is_413() -> None:
    app = create_app(make_settings(max_body_bytes=2048))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as client:
        response = await client.post("/api/users", content=b"x" * 4096, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"errors": {"body": ["is too large"]}}


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/health/live", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    made = await client.get("/health/live", headers={"X-Request-ID": "bad id\r\nwith newline"})
    assert made.headers["x-request-id"] not in ("", "bad id\r\nwith newline")


async def test_root_names_the_service_and_links_the_docs(client: httpx.AsyncClient) -> None:
    body = (await client.get("/")).json()
    assert body["name"] == "Inkwell" and body["docs"] == "/docs" and body["version"]


async def test_health_endpoints(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["status"] == "ok"


def test_every_route_is_tagged_and_documents_its_errors(app: FastAPI) -> None:
    schema = app.openapi()
    assert schema["info"]["license"]["name"] == "MIT"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("tags"), f"{method} {path} has no tag"
    schemes = schema["components"]["securitySchemes"]
    assert schemes["OAuth2Password"]["flows"]["password"]["tokenUrl"] == "/api/auth/token"
    assert "TokenHeader" in schemes


async def test_cors_allows_only_configured_origins() -> None:
    app = create_app(make_settings(cors_origins="http://app.test"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as client:
        preflight = {"Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"}
        allowed = await client.options("/api/user", headers={"Origin": "http://app.test", **preflight})
        refused = await client.options("/api/user", headers={"Origin": "http://evil.test", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "http://app.test"
    assert "access-control-allow-origin" not in refused.headers


@pytest.mark.parametrize("path", ["/api/articles?tag=a%00b", "/api/articles?author=a%00b", "/api/profiles/a%00b",
                                  "/api/articles/a%00b", "/api/articles/a%00b/comments"])
async def test_a_null_character_in_a_path_or_query_is_422(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 422
    assert "errors" in response.json()
