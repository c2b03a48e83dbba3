"""ASGI middleware: request id, access log, the answer to unhandled errors, limits on request bodies, and
HEAD served as GET."""

import json
import logging
import re
import time
import uuid

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.tracing import current_client_address, current_request_id
from entrypoints.http.errors import error_body, unexpected_error
from entrypoints.http.request_bodies import MAX_JSON_DEPTH, TOO_DEEP, is_json, nests_deeper_than

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


class HeadAsGet:
    """Answers HEAD as the GET of the same resource would be answered, without its body, as HTTP asks of
    every resource that serves GET: FastAPI's routes serve only the methods they declare.

    The server keeps reading the method from its own scope (uvicorn sends no body for HEAD by it), so the
    app gets a copy; what the router writes into that copy (the route, for metrics) is handed back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        as_get = {**scope, "method": "GET"}
        try:
            await self.app(as_get, receive, without_body)
        finally:
            scope.update((key, value) for key, value in as_get.items() if key != "method")


class BodyLimits:
    """Refuses a body over `max_bytes` with 413, by Content-Length or while streaming (a chunked body
    declares no length), and a JSON body nested deeper than `max_json_depth` with 400.

    Both are judged as the route reads the body, so a request whose route reads none is never refused for
    its depth, and nothing is parsed twice: JSON depth is counted on the bytes."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, max_json_depth: int = MAX_JSON_DEPTH) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_depth = max_json_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _refuse(send, 413, "is too large")
            return
        json_body = is_json(headers.get("content-type"))
        chunks: list[bytes] = []
        received = 0
        refusal: tuple[int, str] | None = None
        started = replaced = False

        async def checking_receive() -> Message:
            nonlocal received, refusal
            message = await receive()
            if message["type"] != "http.request":
                return message
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                refusal = (413, "is too large")
                raise _BodyRefused
            if json_body:
                chunks.append(chunk)
                if not message.get("more_body", False) and nests_deeper_than(b"".join(chunks), self.max_json_depth):
                    refusal = (400, TOO_DEEP)
                    raise _BodyRefused
            return message

        async def answering_send(message: Message) -> None:
            nonlocal started, replaced
            if refusal is not None and not started:
                # Whoever was reading may have caught the error and answered in its own words (FastAPI turns
                # any failure while reading a body into a 400): the answer is the refusal.
                started = replaced = True
                await _refuse(send, *refusal)
            if replaced:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, checking_receive, answering_send)
        except _BodyRefused:
            if not started and refusal is not None:
                await _refuse(send, *refusal)


class _BodyRefused(Exception):
    pass


async def _refuse(send: Send, status: int, message: str) -> None:
    payload = json.dumps(error_body("body", message), separators=(",", ":")).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
