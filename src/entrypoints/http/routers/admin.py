"""Administration: users and their access, the audit log, and jobs that need looking after."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from application.ports.queries import UserFilter
from application.use_cases.admin.change_user_access import ChangeUserAccess
from application.use_cases.admin.list_audit_entries import ListAuditEntries
from application.use_cases.admin.list_users import ListUsers
from application.use_cases.admin.revoke_sessions import RevokeSessions
from application.use_cases.jobs.list_jobs import ListJobs
from application.use_cases.jobs.requeue_job import RequeueJob
from domain.audit import TARGET_MAX_LENGTH, AuditAction
from domain.ids import JobId, UserId
from domain.jobs import JobStatus
from domain.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Page
from domain.users import EMAIL_MAX_LENGTH, Role
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor
from entrypoints.http.dependencies import provided
from entrypoints.http.schemas.admin import (
    AdminUser,
    AdminUserListResponse,
    AdminUserResponse,
    AuditListResponse,
    UserAccessRequest,
)
from entrypoints.http.schemas.errors import NO_NUL, responses
from entrypoints.http.schemas.jobs import Job, JobListResponse, JobResponse

router = APIRouter(prefix="/api/admin", tags=["admin"])

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Username = Annotated[str, Path(max_length=64, pattern=NO_NUL)]


@router.get("/users", response_model=AdminUserListResponse, summary="List and search users",
            description="Oldest account first. `q` is found anywhere in the username or the e-mail address, "
                        "whatever its letter case.",
            responses=responses(401, 403, 422, 503))
async def list_users(
    actor: CurrentActor,
    list_users: Annotated[ListUsers, provided(Container.list_users)],
    q: Annotated[str | None, Query(min_length=1, max_length=EMAIL_MAX_LENGTH, pattern=NO_NUL)] = None,
    role: Role | None = None,
    active: bool | None = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> AdminUserListResponse:
    criteria = UserFilter(text=q, role=role, active=active)
    return AdminUserListResponse.of(await list_users(actor, criteria=criteria, page=Page(limit=limit, offset=offset)))


@router.patch("/users/{username}", response_model=AdminUserResponse, summary="Change a user's role or active flag",
              description="Demoting or deactivating a user ends every session of theirs at once. Answers 409 "
                          "when the change would leave no active administrator.",
              responses=responses(401, 403, 404, 409, 422, 503))
async def change_user_access(
    username: Username,
    body: UserAccessRequest,
    actor: CurrentActor,
    change: Annotated[ChangeUserAccess, provided(Container.change_user_access)],
) -> AdminUserResponse:
    view = await change(actor, username=username, role=body.user.role, active=body.user.active)
    return AdminUserResponse(user=AdminUser.of(view))


@router.post("/users/{username}/revoke-sessions", status_code=204, response_class=Response,
             summary="End every session of a user",
             description="Every token of the user stops working at once; they can sign in again.",
             responses=responses(401, 403, 404, 422, 503))
async def revoke_sessions(
    username: Username,
    actor: CurrentActor,
    revoke: Annotated[RevokeSessions, provided(Container.revoke_sessions)],
) -> Response:
    await revoke(actor, username=username)
    return Response(status_code=204)


@router.get("/audit", response_model=AuditListResponse, summary="Read the audit log, newest first",
            description="`actor` is a user's id; `target` a user's id or the text an entry names its target by "
                        "(a username, a slug, an e-mail address as typed), matched exactly.",
            responses=responses(401, 403, 422, 503))
async def list_audit_entries(
    actor: CurrentActor,
    list_entries: Annotated[ListAuditEntries, provided(Container.list_audit_entries)],
    action: AuditAction | None = None,
    actor_id: Annotated[uuid.UUID | None, Query(alias="actor")] = None,
    target: Annotated[str | None, Query(min_length=1, max_length=TARGET_MAX_LENGTH, pattern=NO_NUL)] = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> AuditListResponse:
    page = await list_entries(
        actor, action=action, actor_id=None if actor_id is None else UserId(actor_id), target=target,
        page=Page(limit=limit, offset=offset),
    )
    return AuditListResponse.of(page)


@router.get("/jobs", response_model=JobListResponse, summary="List jobs, newest first",
            description="`status=dead` lists the jobs whose retries ran out, with their last error.",
            responses=responses(401, 403, 422, 503))
async def list_jobs(
    actor: CurrentActor,
    list_jobs: Annotated[ListJobs, provided(Container.list_jobs)],
    status: JobStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> JobListResponse:
    return JobListResponse.of(await list_jobs(actor, status=status, page=Page(limit=limit, offset=offset)))


@router.post("/jobs/{job_id}/requeue", status_code=202, response_model=JobResponse,
             summary="Run a dead or failed job again",
             description="Its attempts start from zero. Answers 409 for a job that is not dead or failed.",
             responses=responses(401, 403, 404, 409, 422, 503))
async def requeue_job(
    job_id: uuid.UUID,
    actor: CurrentActor,
    requeue_job: Annotated[RequeueJob, provided(Container.requeue_job)],
) -> JobResponse:
    return JobResponse(job=Job.of(await requeue_job(actor, job_id=JobId(job_id))))
