"""The documentation pages, Swagger UI at /docs and ReDoc at /redoc, with the scripts, stylesheet and icon
they load served by Inkwell itself (the `fastapi-offline` package ships them, MIT), so that they work
without internet and load nothing from another host.

The pages are rendered once, the way FastAPI renders them, without a root path: `inkwell serve` mounts
the app at the root. Each page is the same for every caller, so its Content-Security-Policy can name its
inline script by hash (see `docs_policies`).
"""

import os
from collections.abc import Awaitable, Callable
from importlib import resources
from importlib.metadata import version

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.staticfiles import PathLike
from starlette.types import Scope

SWAGGER_UI_URL = "/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
REDOC_URL = "/redoc"
# The package's version is part of the path, so a browser may keep the files for good: an upgrade
# that changes them changes their URLs too.
ASSETS_URL = f"/docs/assets/{version('fastapi-offline')}"
_ASSETS_CACHE_CONTROL = "public, max-age=31536000, immutable"


def install(app: FastAPI) -> None:
    """Serve the documentation pages and their assets from `app`, outside its OpenAPI document."""
    app.mount(ASSETS_URL, _Assets(directory=str(resources.files("fastapi_offline") / "static")), name="docs-assets")
    for path, page in pages(app).items():
        app.add_api_route(path, _serving(page), methods=["GET"], include_in_schema=False)


def pages(app: FastAPI) -> dict[str, str]:
    """Path → HTML of each documentation page; none when `app` publishes no OpenAPI document."""
    if not app.openapi_url:
        return {}
    swagger_ui = get_swagger_ui_html(
        openapi_url=app.openapi_url, title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon.png", oauth2_redirect_url=OAUTH2_REDIRECT_URL,
        init_oauth=app.swagger_ui_init_oauth, swagger_ui_parameters=app.swagger_ui_parameters,
    )
    redoc = get_redoc_html(
        openapi_url=app.openapi_url, title=f"{app.title} - ReDoc", redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS_URL}/favicon.png", with_google_fonts=False,
    )
    return {
        SWAGGER_UI_URL: _html(swagger_ui),
        OAUTH2_REDIRECT_URL: _html(get_swagger_ui_oauth2_redirect_html()),
        REDOC_URL: _html(redoc),
    }


def _html(response: HTMLResponse) -> str:
    return bytes(response.body).decode()


def _serving(page: str) -> Callable[[], Awaitable[HTMLResponse]]:
    async def serve() -> HTMLResponse:
        return HTMLResponse(page)

    return serve


class _Assets(StaticFiles):
    """The package's static files, which never change under one URL."""

    def file_response(self, full_path: PathLike, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = _ASSETS_CACHE_CONTROL
        return response
