"""The FastAPI application: routers, middleware, error handlers and the container's lifetime."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from entrypoints import logs
from entrypoints.container import Container, build_container, close_resources
from entrypoints.http import docs, error_responses, errors, openapi
from entrypoints.http.cors import Cors
from entrypoints.http.docs_policies import page_policies
from entrypoints.http.metrics import HttpMetrics, RequestMetrics
from entrypoints.http.middleware import BodyLimits, HeadAsGet, RequestContext
from entrypoints.http.routers import admin, articles, auth, comments, jobs, meta, profiles, service, tags, users
from entrypoints.http.security_headers import SecurityHeaders
from entrypoints.service_key import ServiceKey
from entrypoints.settings import Settings
from entrypoints.settings_problems import settings_or_exit

DESCRIPTION = """
Inkwell is a blogging backend whose API is a superset of the
[RealWorld](https://realworld-docs.netlify.app/) ("Conduit") API.

Authenticate with `Authorization: Token <access token>` (RealWorld clients) or
`Authorization: Bearer <access token>`. Access tokens are short-lived; rotate them with
`POST /api/auth/refresh`. Errors always look like `{"errors": {"field": ["message"]}}`.
"""

TAGS = [
    {"name": "users", "description": "Registration, log-in and the current user (RealWorld)."},
    {"name": "profiles", "description": "Public profiles and follows (RealWorld)."},
    {"name": "articles", "description": "Articles, the feed and favorites (RealWorld)."},
    {"name": "comments", "description": "Comments on articles (RealWorld)."},
    {"name": "tags", "description": "Tags in use (RealWorld)."},
    {"name": "auth", "description": "Sessions (OAuth2 password form, refresh rotation, log-out), e-mail "
                                    "verification and password reset."},
    {"name": "jobs", "description": "Background jobs you started: status, progress, results."},
    {"name": "admin", "description": "For administrators only."},
    {"name": "meta", "description": "Service information and health."},
]

ROUTERS = (users, profiles, articles, comments, tags, auth, jobs, admin, meta)


def create_app(settings: Settings | None = None, container: Container | None = None) -> FastAPI:
    settings = settings or settings_or_exit()  # as `uvicorn --factory` calls it: problems, not a traceback
    logs.configure(settings.log_level)
    container = container or build_container(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What start-up built lives as long as the process: moved out of the collector's generations,
        # it is not traversed again by every full collection, which shortens the pauses behind p99.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()
            await close_resources(container)

    app = FastAPI(
        title="Inkwell",
        summary="A production-grade blogging backend, RealWorld-compatible.",
        description=DESCRIPTION,
        version=version("inkwell"),
        contact={"name": "Inkwell maintainers"},
        license_info={"name": "MIT", "identifier": "MIT"},
        openapi_tags=TAGS,
        lifespan=lifespan,
        # FastAPI's built-in OpenTelemetry asks on every request whether a provider has been set up;
        # Inkwell exports no traces, so the question is not asked.
        telemetry={"tracing": False, "metrics": False, "logs": False},
        # Served by `docs.install`, from assets in the package rather than a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.container = container
    app.state.service_key = ServiceKey(settings.service_api_key)
    app.state.metrics = metrics = HttpMetrics()
    metrics.watch(pools=container.storage.pools_in_use, hashing=container.security.load)
    for router in ROUTERS:
        app.include_router(router.router)
    app.include_router(service.router)
    docs.install(app)
    errors.install(app)
    openapi.install(app, [router.router for router in ROUTERS],
                    refuse_common_passwords=settings.password_refuse_common)
    error_responses.install(app, max_body_bytes=settings.max_body_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(BodyLimits, max_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        app.add_middleware(
            Cors,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    app.add_middleware(RequestMetrics, metrics=metrics)
    # The middleware added last runs outermost: every answer, RequestContext's own 500 included, carries
    # the request id and the security headers.
    app.add_middleware(RequestContext)
    app.add_middleware(SecurityHeaders, pages=page_policies(app))
    # Outermost, so that everything inside sees the client, not the proxy: X-Forwarded-For is believed
    # only from the peers in TRUSTED_PROXIES (`inkwell serve` turns uvicorn's own handling off).
    if settings.trusted_proxies:
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app
