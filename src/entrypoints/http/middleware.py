"""ASGI middleware: request id, access log, the answer to unhandled errors, and a cap on request body size."""

import json
import logging
import re
import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.tracing import current_client_address, current_request_id
from entrypoints.http.errors import unexpected_error

access_log = logging.getLogger("inkwell.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


class RequestContext:
    """Accepts a sane `X-Request-ID` or makes one, echoes it, and logs one line per request.

    It also answers what nothing inside handled: a 500 in the error model that carries the request id,
    and one log line. The error is not raised further, where Starlette's outermost middleware would
    answer without the id and the server would print the traceback again, in plain text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        # Jobs queued while serving this request carry its id, so their log lines can be joined to it.
        token = current_request_id.set(request_id)
        # The client as the proxies in TRUSTED_PROXIES report it (see `app.create_app`): rate limits
        # and the audit log count and record this address.
        client = scope.get("client")
        address_token = current_client_address.set(client[0] if client else None)
        started = time.perf_counter()
        status = 500
        responded = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status, responded = message["status"], True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as error:
            response = await unexpected_error(Request(scope, receive), error)
            # Once a response has started it cannot become a 500: the log line tells, and the server,
            # seeing the response unfinished, closes the connection.
            if not responded:
                await response(scope, receive, send_with_id)
        finally:
            current_request_id.reset(token)
            current_client_address.reset(address_token)
            access_log.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )


class BodySizeLimit:
    """Refuses bodies over `max_bytes` with 413, by Content-Length or while streaming (a chunked body
    declares no length)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _too_large(send)
            return
        received = 0
        exceeded = started = replaced = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def answering_send(message: Message) -> None:
            nonlocal started, replaced
            if exceeded and not started:
                # Whoever was reading may have caught the error and answered in its own words (FastAPI turns
                # any failure while reading a body into a 400): the answer to an oversized body is 413.
                started = replaced = True
                await _too_large(send)
            if replaced:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, answering_send)
        except _BodyTooLarge:
            if not started:
                await _too_large(send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body: dict[str, Any] = {"errors": {"body": ["is too large"]}}
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
