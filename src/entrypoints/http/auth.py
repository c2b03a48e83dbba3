"""Who is calling: the `Token` / `Bearer` header turned into an Actor by the Authenticate use case."""

from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from application.actor import Actor
from application.errors import InvalidToken
from application.use_cases.auth.authenticate import Authenticate
from domain.errors import Unauthenticated
from entrypoints.container import Container

# Declared for the OpenAPI document only (Swagger's Authorize button); the header is parsed below,
# because RealWorld clients send `Token <jwt>`, which neither scheme accepts on its own.
_oauth2 = OAuth2PasswordBearer(tokenUrl="/api/auth/token", scheme_name="OAuth2Password", auto_error=False)
_token_header = APIKeyHeader(
    name="Authorization",
    scheme_name="TokenHeader",
    description="`Token <access token>` (RealWorld clients) or `Bearer <access token>`.",
    auto_error=False,
)
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


@inject
async def current_actor(
    request: Request,
    authenticate: Annotated[Authenticate, Depends(Provide[Container.authenticate])],
    _oauth: Annotated[str | None, Security(_oauth2)] = None,
    _header: Annotated[str | None, Security(_token_header)] = None,
) -> Actor:
    token = presented_token(request)
    if token is None:
        raise Unauthenticated("is missing", field="token")
    actor = await authenticate(token)
    request.state.token = token
    return actor


@inject
async def optional_actor(
    request: Request,
    authenticate: Annotated[Authenticate, Depends(Provide[Container.authenticate])],
    _oauth: Annotated[str | None, Security(_oauth2)] = None,
    _header: Annotated[str | None, Security(_token_header)] = None,
) -> Actor | None:
    """Anonymous without a header; a header with a bad token is still refused."""
    token = presented_token(request)
    if token is None:
        return None
    return await authenticate(token)


CurrentActor = Annotated[Actor, Depends(current_actor)]
OptionalActor = Annotated[Actor | None, Depends(optional_actor)]
