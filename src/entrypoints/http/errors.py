"""The one mapping from errors to HTTP answers in RealWorld's `{"errors": {field: [message]}}` model."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from application.errors import DependencyUnavailable, Overloaded
from domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Gone,
    InvalidValue,
    NotFound,
    RateLimited,
    Unauthenticated,
)
from entrypoints.http import metrics, request_bodies

log = logging.getLogger("inkwell.http")
security_log = logging.getLogger("inkwell.security")

STATUS: dict[type[DomainError], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    InvalidValue: 422,
    RateLimited: 429,
}

# A dependency that does not answer is the service's trouble, not the caller's: 503, never 500.
# Adapters say so with DependencyUnavailable; the built-in errors are the net under any that do not.
UNAVAILABLE = (DependencyUnavailable, ConnectionError, TimeoutError)


def error_body(field: str, *messages: str) -> dict[str, Any]:
    return {"errors": {field: list(messages)}}


def status_of(error: DomainError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(error, kind)), 400)


async def domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    status = status_of(error)
    headers = {"WWW-Authenticate": "Token"} if status == 401 else {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
        if (counted := metrics.of(request)) is not None:
            counted.rate_limited(error.field)
    if isinstance(error, Forbidden):
        _log_refusal(request, error)
    return JSONResponse(error_body(error.field, error.message), status_code=status, headers=headers)


def _log_refusal(request: Request, error: Forbidden) -> None:
    """A 403 is an authorisation decision worth a line: a user probing what others own, say. The route's
    template stands for the path, which holds what the client typed (a slug, a username)."""
    security_log.warning("forbidden", extra={
        "method": request.method, "route": getattr(request.scope.get("route"), "path", None),
        "user_id": getattr(request.state, "user_id", None), "refused": error.field,
        "request_id": getattr(request.state, "request_id", None),
    })


async def validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    # A body in another media type never validates (FastAPI hands the model raw bytes, or an empty form):
    # say what to send rather than what failed to validate.
    if (kind := request_bodies.sent_in_wrong_media_type(request)) is not None:
        return JSONResponse(error_body("content-type", f"must be {kind.value}"), status_code=415)
    problems = error.errors()
    if any(problem.get("type") == "json_invalid" for problem in problems):
        return JSONResponse(error_body("body", request_bodies.NOT_JSON), status_code=400)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        location = [str(part) for part in problem.get("loc", ()) if not isinstance(part, int)]
        field = location[-1] if location and location[-1] not in ("body", "query", "path") else "body"
        kind_of_problem = problem.get("type", "")
        if kind_of_problem == "missing":
            message = "can't be blank"
        elif kind_of_problem in _NOT_AN_OBJECT:
            message = request_bodies.NOT_AN_OBJECT
        else:
            message = str(problem.get("msg", "is invalid")).removeprefix("Value error, ")
        errors.setdefault(field, []).append(message)
    return JSONResponse({"errors": errors}, status_code=422)


# pydantic's words for "an object was expected", which would name Python's types to a JSON client.
_NOT_AN_OBJECT = frozenset({"model_attributes_type", "model_type", "dict_type"})


async def http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    status, headers = error.status_code, dict(error.headers or {})
    if status == 405:
        raised = [method.strip() for method in headers.get("Allow", "").split(",") if method.strip()]
        allowed = served_methods(request) or raised
        headers["Allow"] = ", ".join(allowed)
        return JSONResponse(error_body("method", f"is not allowed: use {', '.join(allowed)}"),
                            status_code=405, headers=headers)
    if status == 400 and (kind := request_bodies.body_kind(request)) is not None:
        # FastAPI's answer to any failure while reading a body: bytes that are not UTF-8, a broken multipart form.
        message = request_bodies.NOT_JSON if kind is request_bodies.BodyKind.JSON else request_bodies.NOT_A_FORM
        return JSONResponse(error_body("body", message), status_code=400, headers=headers)
    messages = {404: "not found", 413: "is too large"}
    message = messages.get(status, str(error.detail).lower())
    field = "body" if status == 413 else "request"
    return JSONResponse(error_body(field, message), status_code=status, headers=headers)


_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def served_methods(request: Request) -> list[str]:
    """The methods served at the request's path. Starlette's 405 names only those of the first route whose
    path matched, while `/api/articles/{slug}`, say, is served by three.

    As in OpenAPI, a path without parameters comes before a template that also matches it: `/api/articles/feed`
    is GET only, though `/api/articles/{slug}` would take a PUT there. The routes are read the way FastAPI
    reads them for the document, so the two cannot disagree. A mount (the docs' assets) answers its own."""
    probe = {"type": "http", "method": request.method, "path": request.scope["path"],
             "root_path": request.scope.get("root_path", ""), "headers": [], "query_string": b""}
    matching = [route for route in iter_route_contexts(request.app.routes)
                if not isinstance(route.original_route, Mount) and route.matches(dict(probe))[0] is not Match.NONE]
    if not matching:
        return []
    fewest = min(_parameters(route.path_format) for route in matching)
    served = {method for route in matching if _parameters(route.path_format) == fewest
              for method in route.methods or ()}
    if "GET" in served:
        served.add("HEAD")  # served as GET by `middleware.HeadAsGet`
    return sorted(served, key=lambda method: _ORDER.index(method) if method in _ORDER else len(_ORDER))


def _parameters(path_format: str | None) -> int:
    return (path_format or "").count("{")


async def dependency_down(request: Request, error: Exception) -> JSONResponse:
    dependency = error.dependency if isinstance(error, DependencyUnavailable) else type(error).__name__
    log.error("dependency_unavailable", extra={"dependency": dependency})
    return JSONResponse(error_body("service", "is temporarily unavailable"), status_code=503,
                        headers={"Retry-After": "5"})


async def overloaded(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, Overloaded)
    log.warning("overloaded", extra={"work": error.work, "retry_after": error.retry_after})
    request.scope[metrics.REFUSED_BUSY] = True
    return JSONResponse(error_body("service", "is busy, try again shortly"), status_code=503,
                        headers={"Retry-After": str(error.retry_after)})


async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, UNAVAILABLE):
        return await dependency_down(request, error)
    request_id = getattr(request.state, "request_id", None)
    log.exception("unhandled_error", extra={"request_id": request_id})
    body = error_body("server", "an unexpected error occurred")
    body["request_id"] = request_id
    return JSONResponse(body, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Overloaded, overloaded)
    for kind in UNAVAILABLE:
        app.add_exception_handler(kind, dependency_down)
    # Anything else is answered by `unexpected_error` from the request-context middleware, not from a
    # handler here: FastAPI would install that one outside every middleware, without the request id.
