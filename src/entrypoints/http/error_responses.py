"""The error answers the OpenAPI document declares: every one an operation can really give, each in the
one error model.

Routers declare what their use cases answer (404, 409, 429…). What every operation of a kind answers is
declared here, once: what the server says about a body it cannot read (400, 413, 415, 422), and about a
token it refuses (401). FastAPI's own `{"detail": [...]}` model, which this server never sends, goes.
"""

import copy
import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from entrypoints.http.body_bounds import largest_body
from entrypoints.http.request_bodies import MAX_JSON_DEPTH
from entrypoints.http.schemas.errors import ErrorResponse

Schema = dict[str, Any]

ERROR_MODEL = ErrorResponse.__name__
FASTAPI_MODELS = ("HTTPValidationError", "ValidationError")
# What each status typically says, so that the document shows a likely answer rather than one model example.
EXAMPLES: dict[str, Schema] = {
    "400": {"errors": {"body": ["is not valid JSON: send a UTF-8 JSON object with Content-Type: application/json"]}},
    "401": {"errors": {"token": ["is missing"]}},
    "403": {"errors": {"article": ["forbidden"]}},
    "404": {"errors": {"article": ["not found"]}},
    "409": {"errors": {"email": ["has already been taken"]}},
    "410": {"errors": {"export": ["has expired"]}},
    "413": {"errors": {"body": ["is too large"]}},
    "415": {"errors": {"content-type": ["must be application/json"]}},
    "422": {"errors": {"title": ["can't be blank"]}},
    "429": {"errors": {"log in": ["too many attempts, try again later"]}},
    "503": {"errors": {"service": ["is temporarily unavailable"]}},
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}}


def install(app: FastAPI, *, max_body_bytes: int) -> None:
    """Make `app.openapi()` declare the error answers, whatever else has been made to shape it."""
    generate: Callable[[], Schema] = app.openapi

    def openapi() -> Schema:
        if app.openapi_schema is None:
            schema = generate()
            declare_errors(schema, max_body_bytes=max_body_bytes)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def declare_errors(schema: Schema, *, max_body_bytes: int) -> None:
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).setdefault(ERROR_MODEL, ErrorResponse.model_json_schema())
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "requestBody" in operation:
                _declare_body_errors(operation, responses, components, max_body_bytes)
            if operation.get("security"):
                responses.setdefault("401", {"description": "Missing, invalid, expired or revoked token"})
            for code, response in responses.items():
                if code[0] in "45":
                    _in_error_model(code, response)
            operation["responses"] = dict(sorted(responses.items()))
    if not any(f"/{name}\"" in json.dumps(schema["paths"]) for name in FASTAPI_MODELS):
        for name in FASTAPI_MODELS:
            components["schemas"].pop(name, None)


def _declare_body_errors(operation: Schema, responses: Schema, components: Schema, max_body_bytes: int) -> None:
    media_types = list(operation["requestBody"].get("content", {}))
    unreadable = [f"bytes that are not UTF-8, text that is not JSON, or JSON nested deeper than {MAX_JSON_DEPTH} "
                  f"levels" if media_type == "application/json" else f"a {media_type} body that cannot be parsed"
                  for media_type in media_types]
    responses.setdefault("400", {"description": f"The body cannot be read: {'; '.join(unreadable)}. "
                                                f"The message says what to send."})
    responses.setdefault("413", {"description": _too_large(largest_body(operation, components), max_body_bytes)})
    responses.setdefault("415", {"description": (
        f"A body sent in another media type than {' or '.join(media_types)}, or with no `Content-Type`.")})
    responses.setdefault("422", {"description": "Invalid input"})


def _too_large(largest: float, max_body_bytes: int) -> str:
    refused = f"The body is over {max_body_bytes} bytes (`MAX_BODY_BYTES`), by its `Content-Length` or as it arrives."
    if largest <= max_body_bytes:
        return (f"{refused} No body valid under this schema is refused: the largest takes {int(largest)} bytes, "
                f"every character escaped.")
    return (f"{refused} This server sets it below what some bodies valid under this schema take when their "
            f"characters are escaped.")


def _in_error_model(code: str, response: Schema) -> None:
    """Give a documented error the error model, unless it has a model of its own that is not FastAPI's
    (readiness answers 503 with its checks)."""
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    if not schema or schema.get("$ref", "").rsplit("/", 1)[-1] in FASTAPI_MODELS:
        response["content"] = error_content()
    if response["content"] != error_content():
        return
    if code in ("429", "503"):
        response.setdefault("headers", copy.deepcopy(RETRY_AFTER))
    if code in EXAMPLES:
        response["content"]["application/json"]["example"] = EXAMPLES[code]


def error_content() -> Schema:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_MODEL}"}}}
