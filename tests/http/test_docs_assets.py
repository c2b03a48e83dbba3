"""The documentation pages load their scripts, stylesheets and icon from Inkwell itself, never from a CDN:
each one they name is served here, may be cached for good (its URL carries the version), and is not part
of the API's OpenAPI document."""

import re

import httpx
import pytest

PAGES = ["/docs", "/redoc"]


@pytest.mark.parametrize("path", PAGES)
async def test_every_asset_a_docs_page_names_is_served_here_and_cached_for_good(
    client: httpx.AsyncClient, path: str
) -> None:
    page = (await client.get(path)).text
    assets = re.findall(r'<script src="([^"]+)"', page) + re.findall(r'<link[^>]*href="([^"]+)"', page)
    assert assets
    for url in assets:
        assert url.startswith("/docs/assets/"), url
        response = await client.get(url)
        assert response.status_code == 200, url
        assert response.content, url
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert response.headers["content-type"].split(";")[0] in {"text/javascript", "text/css", "image/png"}


async def test_an_unknown_asset_is_a_404_in_the_error_model_and_cached_by_no_one(client: httpx.AsyncClient) -> None:
    page = (await client.get("/docs")).text
    (script,) = re.findall(r'<script src="([^"]+)"', page)
    directory = script.rsplit("/", 1)[0]
    for missing in (f"{directory}/nothing-here.js", f"{directory}/../__init__.py", f"{directory}/%2e%2e/core.py"):
        response = await client.get(missing)
        assert response.status_code == 404, missing
        assert response.json() == {"errors": {"request": ["not found"]}}
        assert response.headers["cache-control"] == "no-store"


async def test_the_documentation_is_not_part_of_the_api_it_documents(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not [path for path in paths if path.startswith(("/docs", "/redoc"))]
