"""A request the server cannot take as sent gets one answer in the error model that says what to send,
and the OpenAPI document declares every such answer, in that model."""

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from entrypoints.http.app import create_app
from entrypoints.http.body_bounds import largest_body
from entrypoints.http.request_bodies import MAX_JSON_DEPTH, nests_deeper_than
from entrypoints.settings import Settings
from tests.http.conftest import auth, make_settings, register, unique
from tests.http.jobs_support import serve

JSON = {"Content-Type": "application/json"}
NOT_JSON = {"errors": {"body": ["is not valid JSON: send a UTF-8 JSON object with Content-Type: application/json"]}}
TOO_DEEP = {"errors": {"body": [f"is nested too deeply: JSON may nest at most {MAX_JSON_DEPTH} levels"]}}
NOT_A_FORM = {"errors": {"body": [
    "is not a valid form: send application/x-www-form-urlencoded (or well-formed multipart/form-data)"]}}
SEND_JSON = {"errors": {"content-type": ["must be application/json"]}}
SEND_A_FORM = {"errors": {"content-type": ["must be application/x-www-form-urlencoded or multipart/form-data"]}}
TOO_LARGE = {"errors": {"body": ["is too large"]}}


def nested(levels: int) -> bytes:
    """A log-in body whose `user` holds `levels` - 1 more levels of arrays: `levels` in all, past the envelope."""
    return b'{"user": ' + b"[" * (levels - 1) + b"]" * (levels - 1) + b"}"


# Bodies the server cannot read.

@pytest.mark.parametrize("body", [b'{"user": {"email": "\xff@example.com", "password": "x"}}',  # Latin-1, not UTF-8
                                  b'{"user": {"email": ',
                                  b"user=jake"])
async def test_a_body_that_is_not_json_is_400(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post("/api/users/login", content=body, headers=JSON)
    assert (response.status_code, response.json()) == (400, NOT_JSON)


async def test_json_nested_past_the_limit_is_400(client: httpx.AsyncClient) -> None:
    too_deep = await client.post("/api/users/login", content=nested(MAX_JSON_DEPTH + 1), headers=JSON)
    assert (too_deep.status_code, too_deep.json()) == (400, TOO_DEEP)
    at_the_limit = await client.post("/api/users/login", content=nested(MAX_JSON_DEPTH), headers=JSON)
    assert at_the_limit.status_code == 422  # read, then refused by the schema: `user` is no array


async def test_json_nested_far_past_the_limit_is_400_not_a_parser_crash(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/users/login", content=b"[" * 500_000, headers=JSON)
    assert (response.status_code, response.json()) == (400, TOO_DEEP)


async def test_brackets_inside_strings_are_not_nesting(client: httpx.AsyncClient) -> None:
    user = await register(client)
    body = '[' * 500 + ' "quoted \\" [[[ " ' + "{" * 100
    response = await client.post("/api/articles", headers=auth(user["token"]),
                                 json={"article": {"title": "Brackets", "description": "d", "body": body}})
    assert response.status_code == 201, response.text
    assert response.json()["article"]["body"] == body


async def test_a_deep_body_sent_where_none_is_read_is_ignored(client: httpx.AsyncClient) -> None:
    response = await client.request("GET", "/api/tags", content=b"[" * 100, headers=JSON)
    assert response.status_code == 200


@pytest.mark.parametrize("body", [b"null", b"[]", b'"user"', b"3"])
async def test_json_that_is_not_an_object_is_422_in_words_for_json(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post("/api/users/login", content=body, headers=JSON)
    assert (response.status_code, response.json()) == (422, {"errors": {"body": ["must be a JSON object"]}})


async def test_an_envelope_that_is_not_an_object_is_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/users/login", json={"user": "jake"})
    assert (response.status_code, response.json()) == (422, {"errors": {"user": ["must be a JSON object"]}})


async def test_a_missing_body_is_422_blank(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/users/login")
    assert (response.status_code, response.json()) == (422, {"errors": {"body": ["can't be blank"]}})


# Bodies in the wrong media type.

@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data",
                                          "application/xml", None])
async def test_json_sent_as_another_media_type_is_415(client: httpx.AsyncClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"user": {"email": "jake@example.com", "password": "jakejake"}}'
    response = await client.post("/api/users/login", content=body, headers=headers)
    assert (response.status_code, response.json()) == (415, SEND_JSON)


async def test_json_in_a_json_media_type_with_parameters_is_read(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/users/login", headers={"Content-Type": "application/json; charset=utf-8"},
                                 content=b'{"user": {"email": "nobody@example.com", "password": "x"}}')
    assert response.status_code == 401  # read, parsed and judged: no such account


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
async def test_the_token_form_sent_as_another_media_type_is_415(
        client: httpx.AsyncClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await client.post("/api/auth/token", content=b'{"username": "a", "password": "b"}', headers=headers)
    assert (response.status_code, response.json()) == (415, SEND_A_FORM)


@pytest.mark.parametrize(("content_type", "body"), [
    ("multipart/form-data", b'--x\r\nContent-Disposition: form-data; name="username"\r\n\r\na\r\n--x--\r\n'),
    ("multipart/form-data; boundary=x", b"--x\r\nno header ends here\r\n\r\na\r\n--x--\r\n"),
    ("multipart/form-data; boundary=x", b"--y\r\n"),
])
async def test_a_broken_multipart_form_is_400(client: httpx.AsyncClient, content_type: str, body: bytes) -> None:
    response = await client.post("/api/auth/token", content=body, headers={"Content-Type": content_type})
    assert (response.status_code, response.json()) == (400, NOT_A_FORM)


async def test_a_well_formed_multipart_form_is_read(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.post("/api/auth/token",
                                 files={"username": (None, user["email"]), "password": (None, user["password"])})
    assert response.status_code == 200, response.text


# Bodies over the byte limit.

async def body_in_chunks(total: int) -> AsyncIterator[bytes]:
    for start in range(0, total, 1024):
        yield b" " * min(1024, total - start)


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_body_over_the_limit_is_413(chunked: bool) -> None:
    async with serve(create_app(make_settings(max_body_bytes=4096))) as client:
        body = body_in_chunks(8192) if chunked else b" " * 8192
        response = await client.post("/api/articles", content=body, headers=JSON)
    assert ("content-length" not in response.request.headers) is chunked
    assert (response.status_code, response.json()) == (413, TOO_LARGE)


async def test_the_longest_article_fits_the_default_limit_with_every_character_escaped(
        client: httpx.AsyncClient, app: FastAPI) -> None:
    """100,000 characters outside the BMP, each sent as a surrogate pair of \\u escapes: 12 bytes apiece."""
    user = await register(client)
    longest = app.openapi()["components"]["schemas"]["NewArticle"]["properties"]["body"]["maxLength"]
    body = "\U0001f600" * longest
    payload = json.dumps({"article": {"title": "t", "description": "d", "body": body}}, ensure_ascii=True).encode()
    assert len(payload) > 12 * longest
    response = await client.post("/api/articles", content=payload, headers={**JSON, **auth(user["token"])})
    assert response.status_code == 201
    assert response.json()["article"]["body"] == body


# Methods.

@pytest.mark.parametrize(("path", "allowed"), [
    ("/api/articles", "GET, HEAD, POST"),
    ("/api/articles/some-slug", "GET, HEAD, PUT, DELETE"),
    ("/api/user", "GET, HEAD, PUT"),
    ("/api/users", "POST"),
    ("/api/articles/feed", "GET, HEAD"),  # as in OpenAPI, the path beats the template `/api/articles/{slug}`
])
@pytest.mark.parametrize("method", ["OPTIONS", "PATCH"])
async def test_405_lists_every_method_served_at_the_path(
        client: httpx.AsyncClient, path: str, allowed: str, method: str) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    assert response.json() == {"errors": {"method": [f"is not allowed: use {allowed}"]}}


async def test_head_is_served_wherever_get_is(client: httpx.AsyncClient) -> None:
    user = await register(client)
    got = await client.get("/api/user", headers=auth(user["token"]))
    head = await client.head("/api/user", headers=auth(user["token"]))
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]
    refused = await client.head("/api/user")
    assert (refused.status_code, refused.content) == (401, b"")
    only_post = await client.head("/api/users")
    assert (only_post.status_code, only_post.headers["allow"]) == (405, "POST")


async def test_a_head_request_is_counted_as_head_by_its_route_template() -> None:
    key = "a-service-api-key-of-at-least-32-bytes"
    async with serve(create_app(make_settings(service_api_key=key))) as client:
        await client.head("/api/articles/some-slug")
        scraped = (await client.get("/metrics", headers={"X-API-Key": key})).text
    assert 'inkwell_http_requests_total{method="HEAD",route="/api/articles/{slug}",status="404"} 1.0' in scraped


# The document.

def error_responses(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(path, method, code, response)
            for path, operations in document["paths"].items() for method, operation in operations.items()
            for code, response in operation["responses"].items() if code[0] in "45"]


def schema_of(response: dict[str, Any]) -> str:
    return str(response["content"]["application/json"]["schema"].get("$ref", "")).rsplit("/", 1)[-1]


def test_the_document_knows_no_fastapi_error_model(app: FastAPI) -> None:
    document = app.openapi()
    assert "HTTPValidationError" not in json.dumps(document)
    assert "ValidationError" not in document["components"]["schemas"]


def test_every_documented_error_is_the_error_model(app: FastAPI) -> None:
    document = app.openapi()
    for path, method, code, response in error_responses(document):
        model = schema_of(response)
        if (path, code) == ("/health/ready", "503"):
            # Readiness answers with its checks beside the error model's `errors`.
            assert "errors" in document["components"]["schemas"][model]["properties"]
            continue
        assert model == "ErrorResponse", (method, path, code)


def test_every_operation_that_takes_a_body_declares_what_its_body_may_earn(app: FastAPI) -> None:
    document = app.openapi()
    with_body = [(path, operation) for path, operations in document["paths"].items()
                 for operation in operations.values() if "requestBody" in operation]
    assert len(with_body) >= 10
    for path, operation in with_body:
        for code in ("400", "413", "415", "422"):
            assert schema_of(operation["responses"][code]) == "ErrorResponse", (path, code)
        assert f"over {Settings.model_fields['max_body_bytes'].default} bytes" in \
            operation["responses"]["413"]["description"]


def test_every_operation_that_reads_a_token_declares_401(app: FastAPI) -> None:
    document = app.openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if operation.get("security"):
                assert "401" in operation["responses"], (method, path)


def test_every_valid_body_fits_the_default_byte_limit(app: FastAPI) -> None:
    document = app.openapi()
    limit = Settings.model_fields["max_body_bytes"].default
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert largest_body(operation, document["components"]) <= limit, (method, path)


def test_a_limit_set_below_the_largest_valid_body_is_documented_as_such() -> None:
    document = create_app(make_settings(max_body_bytes=65536)).openapi()
    create = document["paths"]["/api/articles"]["post"]["responses"]["413"]["description"]
    assert "over 65536 bytes" in create and "below what some bodies valid under this schema take" in create
    log_in = document["paths"]["/api/users/login"]["post"]["responses"]["413"]["description"]
    assert "No body valid under this schema is refused" in log_in


# The depth scan itself.

@pytest.mark.parametrize(("body", "deeper"), [
    (b"[" * 33 + b"]" * 33, True),
    (b"[" * 32 + b"]" * 32, False),
    (b'{"a": "' + b"[" * 100 + b'"}', False),
    (b'["\\"' + b"[" * 100 + b'"]', False),  # an escaped quote does not end the string
    (b"[]" * 1000, False),
    (b'"unterminated ' + b"[" * 100, False),
])
def test_depth_is_counted_outside_strings(body: bytes, deeper: bool) -> None:
    assert nests_deeper_than(body, 32) is deeper


def test_the_depth_scan_stays_linear_on_hostile_bytes() -> None:
    hostile = [b'"\\"' * 700_000, b'"\\' * 1_000_000, b"[" * 2_000_000, b'"' * 2_000_000, b"[]" * 1_000_000]
    for body in hostile:
        started = time.perf_counter()
        nests_deeper_than(body, 32)
        assert time.perf_counter() - started < 1.0, body[:8]


async def test_a_user_can_still_send_a_normal_body(client: httpx.AsyncClient) -> None:
    name = unique()
    response = await client.post("/api/users", json={"user": {
        "username": name, "email": f"{name}@example.com", "password": "correct horse"}})
    assert response.status_code == 201
