"""RealWorld's user endpoints: register, log in, read and update the current user.

The token in each user object is a LASTING access token (REALWORLD_TOKEN_TTL_SECONDS): RealWorld frontends
keep it and never refresh. Clients that refresh use /api/auth/token and get short access tokens.
"""

from typing import Annotated

from fastapi import APIRouter, Response, status

from application.sessions import AccessTerm
from application.use_cases.auth.log_in import LogIn
from application.use_cases.auth.register import RegisterUser
from application.use_cases.exports.request_export import RequestExport
from application.use_cases.users.get_current_user import GetCurrentUser
from application.use_cases.users.update_user import AccountChanges, UpdateUser
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor
from entrypoints.http.dependencies import provided
from entrypoints.http.schemas.errors import responses
from entrypoints.http.schemas.jobs import Job, JobResponse
from entrypoints.http.schemas.users import LoginUserRequest, NewUserRequest, UpdateUserRequest, User, UserResponse

router = APIRouter(prefix="/api", tags=["users"])

# For these fields null means "blank" (refused); for bio and image it means "clear".
_REQUIRED_WHEN_SENT = {"email", "username", "password"}
_SIGNED_IN = ("`token` is a long-lived access token of a new session (see `REALWORLD_TOKEN_TTL_SECONDS`), for "
              "clients that never refresh; log-out ends it. Clients that refresh use `/api/auth/token`.")
_RENEWED = ("`token` is a new long-lived access token of the caller's session, however the caller signed in: "
            "keep it in place of the one sent.")


@router.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserResponse,
             summary="Register", description=_SIGNED_IN, responses=responses(409, 422, 429, 503))
async def register(
    body: NewUserRequest, register_user: Annotated[RegisterUser, provided(Container.register_user)]
) -> UserResponse:
    signed_in = await register_user(
        email=body.user.email, username=body.user.username, password=body.user.password, access=AccessTerm.LASTING
    )
    tokens = signed_in.tokens
    return UserResponse(user=User.of(signed_in.account, token=tokens.access_token, refresh_token=tokens.refresh_token))


@router.post("/users/login", response_model=UserResponse, summary="Log in", description=_SIGNED_IN,
             responses=responses(401, 422, 429, 503))
async def log_in(body: LoginUserRequest, log_in: Annotated[LogIn, provided(Container.log_in)]) -> UserResponse:
    signed_in = await log_in(email=body.user.email, password=body.user.password, access=AccessTerm.LASTING)
    tokens = signed_in.tokens
    return UserResponse(user=User.of(signed_in.account, token=tokens.access_token, refresh_token=tokens.refresh_token))


@router.get("/user", response_model=UserResponse, response_model_exclude_none=False, summary="Current user",
            description=_RENEWED, responses=responses(401, 503))
async def current_user(
    actor: CurrentActor, get_current_user: Annotated[GetCurrentUser, provided(Container.get_current_user)]
) -> UserResponse:
    found = await get_current_user(actor)
    return UserResponse(user=User.of(found.account, token=found.token))


@router.put("/user", response_model=UserResponse, summary="Update current user",
            description="A new password ends every other session of the user; this one stays signed in. "
                        + _RENEWED,
            responses=responses(401, 409, 422, 503))
async def update_user(
    body: UpdateUserRequest,
    actor: CurrentActor,
    update_user: Annotated[UpdateUser, provided(Container.update_user)],
) -> UserResponse:
    sent = {name: getattr(body.user, name) for name in body.user.model_fields_set}
    changes = AccountChanges(**{
        name: ("" if value is None and name in _REQUIRED_WHEN_SENT else value) for name, value in sent.items()
    })
    updated = await update_user(actor, changes)
    return UserResponse(user=User.of(updated.account, token=updated.token))


@router.post("/user/export", status_code=status.HTTP_202_ACCEPTED, response_model=JobResponse,
             summary="Export your data",
             description="Queues a job that builds one JSON document with your account, profile, articles, comments, "
                         "favorites and follows. Follow it at the `Location` given; when it has succeeded, its "
                         "`result.url` downloads the document until `result.expiresAt`.",
             responses={202: {"description": "The export job, queued",
                              "headers": {"Location": {"description": "The job's URL, to follow its progress",
                                                       "schema": {"type": "string"}}}},
                        **responses(401, 503)})
async def request_export(
    actor: CurrentActor,
    response: Response,
    request_export: Annotated[RequestExport, provided(Container.request_export)],
) -> JobResponse:
    job = await request_export(actor)
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return JobResponse(job=Job.of(job))
