"""The one mapping from errors to HTTP answers in RealWorld's `{"errors": {field: [message]}}` model."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

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
from entrypoints.http import metrics

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
    errors: dict[str, list[str]] = {}
    for problem in error.errors():
        location = [str(part) for part in problem.get("loc", ()) if not isinstance(part, int)]
        field = location[-1] if location and location[-1] not in ("body", "query", "path") else "body"
        kind = problem.get("type", "")
        if kind == "missing":
            message = "can't be blank"
        elif kind == "json_invalid":
            field, message = "body", "is not valid JSON"
        else:
            message = str(problem.get("msg", "is invalid")).removeprefix("Value error, ")
        errors.setdefault(field, []).append(message)
    return JSONResponse({"errors": errors}, status_code=422)


async def http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    messages = {404: "not found", 405: "method not allowed", 413: "is too large"}
    message = messages.get(error.status_code, str(error.detail).lower())
    field = "body" if error.status_code == 413 else "request"
    return JSONResponse(error_body(field, message), status_code=error.status_code, headers=error.headers)


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
