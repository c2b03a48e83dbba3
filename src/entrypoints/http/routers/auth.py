"""Auth endpoints beyond RealWorld: OAuth2 password form, refresh, log-outs, address verification, reset."""

from typing import Annotated

from fastapi import APIRouter, Form, Response, status

from application.use_cases.auth.forgot_password import ForgotPassword
from application.use_cases.auth.log_in import LogIn
from application.use_cases.auth.log_out import LogOut
from application.use_cases.auth.log_out_everywhere import LogOutEverywhere
from application.use_cases.auth.refresh_session import RefreshSession
from application.use_cases.auth.resend_verification import ResendVerification
from application.use_cases.auth.reset_password import ResetPassword
from application.use_cases.auth.verify_email import VerifyEmail
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor
from entrypoints.http.dependencies import provided
from entrypoints.http.schemas.auth import (
    ForgotPasswordRequest,
    PasswordGrantForm,
    RefreshRequest,
    ResetPasswordRequest,
    TokenResponse,
    VerifyEmailRequest,
)
from entrypoints.http.schemas.errors import responses

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post("/token", response_model=TokenResponse, summary="Log in with the OAuth2 password form",
             description="`username` is the account's email. Used by Swagger's Authorize button.",
             responses=responses(401, 422, 429, 503))
async def token(
    form: Annotated[PasswordGrantForm, Form()],
    log_in: Annotated[LogIn, provided(Container.log_in)],
) -> TokenResponse:
    signed_in = await log_in(email=form.username, password=form.password)
    return TokenResponse.of(signed_in.tokens)


@router.post("/refresh", response_model=TokenResponse, summary="Rotate a refresh token",
             description="The presented refresh token is spent. Presenting a spent one ends its whole session.",
             responses=responses(401, 422, 429, 503))
async def refresh(
    body: RefreshRequest, refresh_session: Annotated[RefreshSession, provided(Container.refresh_session)]
) -> TokenResponse:
    return TokenResponse.of(await refresh_session(refresh_token=body.refresh_token))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             summary="End this session", responses=responses(401, 503))
async def log_out(actor: CurrentActor, log_out: Annotated[LogOut, provided(Container.log_out)]) -> Response:
    await log_out(actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/logout-all", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             summary="End every session of the user", responses=responses(401, 503))
async def log_out_everywhere(
    actor: CurrentActor,
    log_out_everywhere: Annotated[LogOutEverywhere, provided(Container.log_out_everywhere)],
) -> Response:
    await log_out_everywhere(actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/verify-email", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             summary="Confirm an e-mail address",
             description="Takes the token from the link in the verification mail. A token works once, for the "
                         "address it was sent to, for 24 hours.",
             responses=responses(422, 503))
async def verify_email(
    body: VerifyEmailRequest, verify_email: Annotated[VerifyEmail, provided(Container.verify_email)]
) -> Response:
    await verify_email(token=body.token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/verify-email/resend", status_code=status.HTTP_202_ACCEPTED, response_class=Response,
             summary="Send another verification mail",
             description="Answers 409 when the address is verified already.",
             responses=responses(401, 409, 429, 503))
async def resend_verification(
    actor: CurrentActor,
    resend: Annotated[ResendVerification, provided(Container.resend_verification)],
) -> Response:
    await resend(actor)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post("/forgot-password", status_code=status.HTTP_202_ACCEPTED, response_class=Response,
             summary="Ask for a password reset mail",
             description="Always 202, whether or not the address belongs to an account, and in the same time: "
                         "a job looks the address up and mails a reset link if it does.",
             responses=responses(422, 429, 503))
async def forgot_password(
    body: ForgotPasswordRequest,
    forgot_password: Annotated[ForgotPassword, provided(Container.forgot_password)],
) -> Response:
    await forgot_password(email=body.email)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post("/reset-password", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             summary="Set a new password with a reset token",
             description="The token works once, for an hour. Every session of the user ends and a mail tells them "
                         "their password changed; log in again with the new password.",
             responses=responses(422, 503))
async def reset_password(
    body: ResetPasswordRequest,
    reset_password: Annotated[ResetPassword, provided(Container.reset_password)],
) -> Response:
    await reset_password(token=body.token, password=body.password)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
