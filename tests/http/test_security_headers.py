"""Security headers on every answer: no sniffing, no referrer, a Content-Security-Policy that lets the API's
JSON run nothing and the documentation pages load only what they name, and `no-store` on every answer
that may carry a token or personal data."""

import base64
import hashlib
import re
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.responses import JSONResponse

from entrypoints.http.app import create_app
from entrypoints.http.security_headers import API_POLICY
from tests.http.conftest import auth, make_settings, register
from tests.http.jobs_support import serve

DOCS_PAGES = ["/docs", "/redoc", "/docs/oauth2-redirect"]


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def assert_secured(response: httpx.Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "server" not in response.headers


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/api/tags", 200), ("GET", "/api/nothing-here", 404), ("POST", "/api/users", 422),
     ("GET", "/api/user", 401), ("GET", "/health/live", 200), ("GET", "/", 200)],
)
async def test_every_api_answer_forbids_sniffing_framing_and_storing(
    client: httpx.AsyncClient, method: str, path: str, status: int
) -> None:
    response = await client.request(method, path)
    assert response.status_code == status
    assert_secured(response)
    assert response.headers["content-security-policy"] == API_POLICY == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["cache-control"] == "no-store"


async def test_every_answer_that_carries_a_token_is_no_store(client: httpx.AsyncClient) -> None:
    user = await register(client)
    credentials = {"email": user["email"], "password": user["password"]}
    logged_in = await client.post("/api/users/login", json={"user": credentials})
    form = await client.post("/api/auth/token", data={"username": user["email"], "password": user["password"]})
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": form.json()["refresh_token"]})
    me = await client.get("/api/user", headers=auth(user["token"]))
    changed = await client.put("/api/user", headers=auth(user["token"]), json={"user": {"bio": "hello"}})
    for response in (logged_in, form, refreshed, me, changed):
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        assert_secured(response)


async def test_the_openapi_document_may_be_cached(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert_secured(response)
    assert response.headers["content-security-policy"] == API_POLICY
    assert "cache-control" not in response.headers


@pytest.mark.parametrize("path", DOCS_PAGES)
async def test_a_docs_page_may_load_what_it_names_and_nothing_else(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert_secured(response)
    assert "cache-control" not in response.headers
    policy = directives(response.headers["content-security-policy"])
    for name in ("default-src", "base-uri", "form-action", "frame-ancestors"):
        assert policy[name] == ["'none'"]
    page = response.text
    named_scripts = re.findall(r'<script src="([^"]+)"', page)
    inline_scripts = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    stylesheets = re.findall(
        r'<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"|<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', page
    )
    icons = re.findall(r'<link rel="shortcut icon" href="([^"]+)"', page)
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline_scripts]
    stylesheet_urls = [a or b for a, b in stylesheets]
    # Everything a page names is served from here: the policy names no other host.
    assert all(not urlsplit(url).netloc for url in [*named_scripts, *stylesheet_urls, *icons])
    assert "://" not in response.headers["content-security-policy"]
    expected_scripts = (["'self'"] if named_scripts else []) + hashes
    assert sorted(policy.get("script-src", [])) == sorted(expected_scripts)
    assert "'unsafe-inline'" not in policy.get("script-src", []) and "'unsafe-eval'" not in policy.get("script-src", [])
    if stylesheet_urls:
        assert "'self'" in policy["style-src"]
    if icons:
        assert "'self'" in policy["img-src"]


async def test_swagger_ui_and_redoc_may_fetch_the_document_from_here_only(client: httpx.AsyncClient) -> None:
    for path in ("/docs", "/redoc"):
        policy = directives((await client.get(path)).headers["content-security-policy"])
        assert policy["connect-src"] == ["'self'"]
    assert directives((await client.get("/redoc")).headers["content-security-policy"])["worker-src"] == ["blob:"]


async def test_a_routes_own_cache_control_is_kept() -> None:
    app = create_app(make_settings())

    @app.get("/test-only/cacheable")
    async def cacheable() -> JSONResponse:
        return JSONResponse({}, headers={"Cache-Control": "public, max-age=60"})

    async with serve(app) as client:
        response = await client.get("/test-only/cacheable")
    assert response.headers.get_list("cache-control") == ["public, max-age=60"]
    assert_secured(response)
