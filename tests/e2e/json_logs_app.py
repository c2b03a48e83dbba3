"""A test-only application: Inkwell's app in the test profile, logging at INFO, with a route that fails and one
that warns, so that an end-to-end test sees how `inkwell serve` logs them. Never part of the product."""

import warnings

from fastapi import FastAPI

from entrypoints.http.app import create_app as create_inkwell_app
from tests.http.conftest import make_settings


def create_app() -> FastAPI:
    app = create_inkwell_app(make_settings(log_level="INFO"))

    @app.get("/test-only/fail")
    async def fail() -> None:
        raise RuntimeError("provoked failure")

    @app.get("/test-only/warn")
    async def warn() -> dict[str, str]:
        warnings.warn("provoked warning", UserWarning, stacklevel=1)
        return {"warned": "once"}

    return app
