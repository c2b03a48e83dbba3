"""A test-only application: Inkwell's app plus a route that fails, so that an end-to-end test can see what
a real server makes of an unhandled error. Never part of the product."""

from fastapi import FastAPI

from entrypoints.http.app import create_app as create_inkwell_app
from tests.http.conftest import make_settings


def create_app() -> FastAPI:
    app = create_inkwell_app(make_settings())

    @app.get("/test-only/fail")
    async def fail() -> None:
        raise RuntimeError("provoked failure")

    return app
