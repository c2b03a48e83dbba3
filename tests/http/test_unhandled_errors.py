"""What nothing handled: a 500 in the error model that carries the request id (header and body), one JSON
log line with that id, and nothing raised on to the server, which would print the traceback again.

The failing routes belong to apps built here, never to the product."""

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from starlette.middleware.cors import CORSMiddleware
from starlette.types import Message

from entrypoints.http.app import create_app
from entrypoints.http.middleware import BodyLimits, RequestContext
from entrypoints.http.security_headers import SecurityHeaders
from tests.http.conftest import make_settings


def failing_app() -> FastAPI:
    app = create_app(make_settings(cors_origins="http://app.test"))

    @app.get("/test-only/fail")
    async def fail() -> None:
        raise RuntimeError("provoked failure with a secret path /etc/inkwell")

    @app.get("/test-only/fail-midway")
    async def fail_midway() -> StreamingResponse:
        async def parts() -> AsyncIterator[bytes]:
            yield b"["
            raise RuntimeError("provoked failure after the answer started")

        return StreamingResponse(parts(), media_type="application/json")

    return app


async def get(app: FastAPI, path: str, **headers: str) -> httpx.Response:
    # raise_app_exceptions stays on: an error that reached the server would fail the request here.
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://inkwell.test") as client:
        return await client.get(path, headers=headers)


def log_lines(stderr: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stderr.splitlines() if line.strip()]


async def test_checklist_25_an_unhandled_error_is_a_500_with_the_request_id_and_one_log_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = failing_app()
    capsys.readouterr()
    response = await get(app, "/test-only/fail", **{"X-Request-ID": "probe-500"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "probe-500"
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"errors": {"server": ["an unexpected error occurred"]}, "request_id": "probe-500"}
    assert "/etc/inkwell" not in response.text and "Traceback" not in response.text
    lines = log_lines(capsys.readouterr().err)  # every line is JSON: no plain-text traceback
    assert [(line["event"], line["request_id"]) for line in lines] == [("unhandled_error", "probe-500")]
    assert "provoked failure" in str(lines[0]["exception"])


async def test_a_500_carries_the_security_headers() -> None:
    response = await get(failing_app(), "/test-only/fail")
    assert response.status_code == 500
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-request-id"] == response.json()["request_id"]


async def test_an_error_after_the_answer_started_is_logged_once_and_not_raised_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = failing_app()
    capsys.readouterr()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": "/test-only/fail-midway", "raw_path": b"/test-only/fail-midway", "query_string": b"",
             "root_path": "", "headers": [(b"host", b"inkwell.test"), (b"x-request-id", b"probe-midway")],
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
    sent: list[Message] = []
    requested = False

    async def receive() -> Message:
        nonlocal requested
        if requested:  # the client stays connected until the answer ends
            await asyncio.Event().wait()
        requested = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)  # returns: the server sees an unfinished answer and closes the connection
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200  # too late to become a 500
    assert all(message.get("more_body", False) for message in sent[1:])  # never said to be complete
    lines = log_lines(capsys.readouterr().err)
    assert [(line["event"], line["request_id"]) for line in lines] == [("unhandled_error", "probe-midway")]


def test_the_request_context_wraps_everything_that_can_fail() -> None:
    """Outermost first: the headers, then the request context (which answers unhandled errors), then
    what can raise (CORS, the body cap, the routes)."""
    app = create_app(make_settings(cors_origins="http://app.test"))
    order: list[object] = [entry.cls for entry in app.user_middleware]
    assert order[:2] == [SecurityHeaders, RequestContext]
    assert order.index(BodyLimits) > 1
    assert any(isinstance(cls, type) and issubclass(cls, CORSMiddleware) for cls in order[2:])
    assert Exception not in app.exception_handlers  # FastAPI would answer it outside the middleware
