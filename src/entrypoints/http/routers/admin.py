"""Administration: jobs that need looking after."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from application.use_cases.jobs.list_jobs import ListJobs
from application.use_cases.jobs.requeue_job import RequeueJob
from domain.ids import JobId
from domain.jobs import JobStatus
from domain.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, Page
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor
from entrypoints.http.dependencies import provided
from entrypoints.http.schemas.errors import responses
from entrypoints.http.schemas.jobs import Job, JobListResponse, JobResponse

router = APIRouter(prefix="/api/admin", tags=["admin"])


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
