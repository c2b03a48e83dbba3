"""The OpenAPI document describes the verification, reset, export, job and admin operations."""

from typing import Any

import pytest

from domain.jobs import JobStatus
from entrypoints.http.app import create_app
from tests.http.conftest import make_settings
from tests.http.jobs_support import serve

# (path, method, tag, success status, documented error statuses, needs a token)
OPERATIONS = [
    ("/api/auth/verify-email", "post", "auth", "204", {"400", "413", "415", "422", "503"}, False),
    ("/api/auth/verify-email/resend", "post", "auth", "202", {"401", "409", "429", "503"}, True),
    ("/api/auth/forgot-password", "post", "auth", "202", {"400", "413", "415", "422", "429", "503"}, False),
    ("/api/auth/reset-password", "post", "auth", "204", {"400", "413", "415", "422", "503"}, False),
    ("/api/user/export", "post", "users", "202", {"401", "503"}, True),
    ("/api/jobs/{job_id}", "get", "jobs", "200", {"401", "404", "422", "503"}, True),
    ("/api/jobs/{job_id}/result", "get", "jobs", "200", {"401", "404", "409", "410", "422", "503"}, True),
    ("/api/admin/jobs", "get", "admin", "200", {"401", "403", "422", "503"}, True),
    ("/api/admin/jobs/{job_id}/requeue", "post", "admin", "202", {"401", "403", "404", "409", "422", "503"}, True),
]


@pytest.fixture(scope="module")
async def schema() -> dict[str, Any]:
    """Served once for the module: building the document is the slow part, and nothing here changes it."""
    async with serve(create_app(make_settings())) as client:
        response = await client.get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


@pytest.mark.parametrize(("path", "method", "tag", "success", "errors", "secured"), OPERATIONS,
                         ids=[f"{method} {path}" for path, method, *_ in OPERATIONS])
async def test_each_new_operation_is_documented_with_its_tag_statuses_and_security(
    schema: dict[str, Any], path: str, method: str, tag: str, success: str, errors: set[str], secured: bool
) -> None:
    operation = schema["paths"][path][method]
    assert operation["tags"] == [tag]
    assert operation["summary"]
    responses = operation["responses"]
    assert set(responses) == {success} | errors
    error_model = {"$ref": "#/components/schemas/ErrorResponse"}
    for code in errors:
        assert responses[code]["content"]["application/json"]["schema"] == error_model
    assert bool(operation.get("security")) is secured


@pytest.mark.parametrize("path", ["/api/auth/verify-email", "/api/auth/reset-password"])
async def test_the_204_operations_document_no_body(schema: dict[str, Any], path: str) -> None:
    assert "content" not in schema["paths"][path]["post"]["responses"]["204"]


@pytest.mark.parametrize(("path", "method"), [
    ("/api/user/export", "post"), ("/api/jobs/{job_id}", "get"), ("/api/admin/jobs/{job_id}/requeue", "post"),
])
async def test_the_operations_answering_with_a_job_reference_its_schema(
    schema: dict[str, Any], path: str, method: str
) -> None:
    responses = schema["paths"][path][method]["responses"]
    success = "200" if method == "get" else "202"
    assert responses[success]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/JobResponse"}


async def test_the_job_schema_lists_every_field_and_status(schema: dict[str, Any]) -> None:
    job = schema["components"]["schemas"]["Job"]
    assert set(job["required"]) == {
        "id", "type", "status", "progress", "attempts", "createdAt", "updatedAt", "error", "result"
    }
    statuses = schema["components"]["schemas"]["JobStatus"]["enum"]
    assert statuses == [status.value for status in JobStatus]


async def test_the_admin_list_documents_its_filter_and_paging(schema: dict[str, Any]) -> None:
    parameters = {p["name"]: p for p in schema["paths"]["/api/admin/jobs"]["get"]["parameters"]}
    assert set(parameters) == {"status", "limit", "offset"}
    assert all(p["in"] == "query" and not p["required"] for p in parameters.values())
    assert {"$ref": "#/components/schemas/JobStatus"} in parameters["status"]["schema"]["anyOf"]
    assert parameters["limit"]["schema"]["minimum"] == 1 and parameters["offset"]["schema"]["minimum"] == 0
    listing = schema["paths"]["/api/admin/jobs"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listing == {"$ref": "#/components/schemas/JobListResponse"}
    assert set(schema["components"]["schemas"]["JobListResponse"]["required"]) == {"jobs", "jobsCount"}


async def test_the_export_download_is_documented_as_json(schema: dict[str, Any]) -> None:
    ok = schema["paths"]["/api/jobs/{job_id}/result"]["get"]["responses"]["200"]
    assert "application/json" in ok["content"]


async def test_the_user_object_documents_email_verified(schema: dict[str, Any]) -> None:
    user = schema["components"]["schemas"]["User"]
    assert "emailVerified" in user["required"]
    assert user["properties"]["emailVerified"]["type"] == "boolean"


@pytest.mark.parametrize(("name", "fields"), [
    ("VerifyEmailRequest", {"token"}), ("ForgotPasswordRequest", {"email"}),
    ("ResetPasswordRequest", {"token", "password"}),
])
async def test_the_request_bodies_require_their_fields(schema: dict[str, Any], name: str, fields: set[str]) -> None:
    assert set(schema["components"]["schemas"][name]["required"]) == fields
