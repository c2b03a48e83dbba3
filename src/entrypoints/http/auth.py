"""Who is calling: the `Token` / `Bearer` header turned into an Actor by the Authenticate use case.

Each of these is one FastAPI dependency with no dependencies of its own: the work FastAPI does per
dependency is a measurable share of a simple read. The document's security requirements are
declared in `entrypoints.http.openapi`.
"""

from typing import Annotated

from fastapi import Depends, Request

from application.actor import Actor
from application.errors import InvalidToken
from application.use_cases.auth.authenticate import Authenticate
from domain.errors import Unauthenticated

SCHEMES = ("token", "bearer")


def presented_token(request: Request) -> str | None:
    """The token in the Authorization header; None when there is no header at all."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() not in SCHEMES or not token.strip():
        raise InvalidToken()
    return token.strip()


async def current_actor(request: Request) -> Actor:
    token = presented_token(request)
    if token is None:
        raise Unauthenticated("is missing", field="token")
    return await _authenticated(request, token)


async def optional_actor(request: Request) -> Actor | None:
    """Anonymous without a header; a header with a bad token is still refused."""
    token = presented_token(request)
    if token is None:
        return None
    return await _authenticated(request, token)


async def _authenticated(request: Request, token: str) -> Actor:
    authenticate: Authenticate = request.app.state.container.authenticate()
    actor = await authenticate(token)
    request.state.user_id = str(actor.user_id)  # for the log line of a refusal (see `errors`)
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]
OptionalActor = Annotated[Actor | None, Depends(optional_actor)]
