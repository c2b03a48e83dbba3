"""The published document's security: which operations take an access token, and which also serve
anonymous callers.

Declared here, from the actor dependency each route uses, rather than through FastAPI's `Security`
dependencies: those would run on every request only to tell the document what it already knows.
"""

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from entrypoints.http import links
from entrypoints.http.auth import current_actor, optional_actor
from entrypoints.http.schemas import rules

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    # Swagger's Authorize button: the OAuth2 password form against `/api/auth/token`.
    "OAuth2Password": {"type": "oauth2", "flows": {"password": {"scopes": {}, "tokenUrl": "/api/auth/token"}}},
    # RealWorld clients send `Token <jwt>`, which no standard scheme describes.
    "TokenHeader": {
        "type": "apiKey", "in": "header", "name": "Authorization",
        "description": "`Token <access token>` (RealWorld clients) or `Bearer <access token>`.",
    },
}
Requirement = list[dict[str, list[str]]]
SIGNED_IN: Requirement = [{"OAuth2Password": []}, {"TokenHeader": []}]
SIGNED_IN_OR_ANONYMOUS: Requirement = [*SIGNED_IN, {}]


def install(app: FastAPI, routers: Iterable[APIRouter], *, refuse_common_passwords: bool = True) -> None:
    """Make `app.openapi()` declare the schemes and the security requirement of each operation of
    `routers` (included in `app` without a further prefix), the links between operations, and the
    password policy as configured."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
            for route in (route for router in routers for route in router.routes):
                if not isinstance(route, APIRoute) or not route.include_in_schema:
                    continue
                requirement = _requirement(route.dependant)
                if requirement is None:
                    continue
                for method in route.methods or ():
                    schema["paths"][route.path_format][method.lower()]["security"] = requirement
            links.declare(schema)
            _forms_also_multipart(schema)
            rules.restate_password_policy(schema, refuse_common=refuse_common_passwords)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def _forms_also_multipart(document: dict[str, Any]) -> None:
    """A form body (the OAuth2 password form) is read in either encoding, as FastAPI's form parsing does;
    the document says so beside the URL-encoded one it lists."""
    for operations in document["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/x-www-form-urlencoded" in content:
                content.setdefault("multipart/form-data", content["application/x-www-form-urlencoded"])


def _requirement(dependant: Dependant) -> Requirement | None:
    calls = set(_calls(dependant))
    if current_actor in calls:
        return SIGNED_IN
    if optional_actor in calls:
        return SIGNED_IN_OR_ANONYMOUS
    return None


def _calls(dependant: Dependant) -> list[Callable[..., Any]]:
    found = []
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            found.append(dependency.call)
        found.extend(_calls(dependency))
    return found
