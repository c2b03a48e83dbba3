"""Bodies of the job endpoints: a job's status, progress and result."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from application.jobs.catalog import BuildExport
from application.views import JobPage, JobView
from domain.jobs import JobStatus
from entrypoints.http.schemas.articles import Timestamp


def result_url(job_id: object) -> str:
    return f"/api/jobs/{job_id}/result"


class Job(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "0b6f1c1e-6a0e-4c57-9d0c-3f3f1a0c9a51", "type": "build_export", "status": "succeeded",
                "progress": 100, "attempts": 1, "createdAt": "2026-11-29T10:00:00.000Z",
                "updatedAt": "2026-11-29T10:00:02.000Z", "error": None,
                "result": {"url": "/api/jobs/0b6f1c1e-6a0e-4c57-9d0c-3f3f1a0c9a51/result",
                           "expiresAt": "2026-11-30T10:00:02.000Z"},
            }
        }
    )
    id: str
    type: str
    status: JobStatus = Field(description="queued, running, retrying, succeeded, failed (will not be retried) "
                                          "or dead (retries used up).")
    progress: int = Field(ge=0, le=100)
    attempts: int
    createdAt: Timestamp
    updatedAt: Timestamp
    error: str | None = Field(description="Why the last attempt failed, if it did.")
    result: dict[str, Any] | None

    @classmethod
    def of(cls, view: JobView) -> "Job":
        result = view.result
        if view.type == BuildExport.TYPE and view.status is JobStatus.SUCCEEDED and result is not None:
            result = {"url": result_url(view.id), **result}
        return cls(
            id=str(view.id), type=view.type, status=view.status, progress=view.progress, attempts=view.attempts,
            createdAt=view.created_at, updatedAt=view.updated_at, error=view.error, result=result,
        )


class JobResponse(BaseModel):
    job: Job


class JobListResponse(BaseModel):
    jobs: list[Job]
    jobsCount: int = Field(description="Every job with the given status, not only this page.")

    @classmethod
    def of(cls, page: JobPage) -> "JobListResponse":
        return cls(jobs=[Job.of(view) for view in page.jobs], jobsCount=page.total)
