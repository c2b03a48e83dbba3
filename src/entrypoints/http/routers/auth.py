"""Session endpoints beyond RealWorld: OAuth2 password form, refresh, log out, log out everywhere."""

from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from application.use_cases.auth.log_in import LogIn
from application.use_cases.auth.log_out import LogOut
from application.use_cases.auth.log_out_everywhere import LogOutEverywhere
from application.use_cases.auth.refresh_session import RefreshSession
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor
from entrypoints.http.schemas.auth import RefreshRequest, TokenResponse
from entrypoints.http.schemas.errors import responses

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/token", response_model=TokenResponse, summary="Log in with the OAuth2 password form",
             description="`username` is the account's email. Used by Swagger's Authorize button.",
             responses=responses(401, 422, 503))
@inject
async def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    log_in: Annotated[LogIn, Depends(Provide[Container.log_in])],
) -> TokenResponse:
    signed_in = await log_in(email=form.username, password=form.password)
    return TokenResponse.of(signed_in.tokens)


@router.post("/refresh", response_model=TokenResponse, summary="Rotate a refresh token",
             description="The presented refresh token is spent. Presenting a spent one ends its whole session.",
             responses=responses(401, 422, 503))
@inject
async def refresh(
    body: RefreshRequest, refresh_session: Annotated[RefreshSession, Depends(Provide[Container.refresh_session])]
) -> TokenResponse:
    return TokenResponse.of(await refresh_session(refresh_token=body.refresh_token))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             summary="End this session", responses=responses(401, 503))
@inject
async def log_out(actor: CurrentActor, log_out: Annotated[LogOut, Depends(Provide[Container.log_out])]) -> Response:
    await log_out(actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/logout-all", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             summary="End every session of the user", responses=responses(401, 503))
@inject
async def log_out_everywhere(
    actor: CurrentActor,
    log_out_everywhere: Annotated[LogOutEverywhere, Depends(Provide[Container.log_out_everywhere])],
) -> Response:
    await log_out_everywhere(actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
