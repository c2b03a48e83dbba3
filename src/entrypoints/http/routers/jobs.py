"""Background jobs as their owners see them: status, progress, and an export's download."""

import uuid
from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from application.use_cases.exports.download_export import DownloadExport
from application.use_cases.jobs.get_job import GetJob
from domain.ids import JobId
from entrypoints.container import Container
from entrypoints.http.auth import CurrentActor
from entrypoints.http.dependencies import provided
from entrypoints.http.schemas.errors import responses
from entrypoints.http.schemas.jobs import Job, JobResponse

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobResponse, summary="A job's status, progress and result",
            description="For the job's owner or an administrator; anyone else gets 404.",
            responses=responses(401, 404, 422, 503))
async def get_job(
    job_id: uuid.UUID, actor: CurrentActor, get_job: Annotated[GetJob, provided(Container.get_job)]
) -> JobResponse:
    return JobResponse(job=Job.of(await get_job(actor, job_id=JobId(job_id))))


@router.get("/{job_id}/result", response_class=StreamingResponse, summary="Download an export",
            description="The JSON document a finished export job built, as an attachment, until it expires (410).",
            responses={200: {"content": {"application/json": {}}, "description": "The export document"},
                       **responses(401, 404, 409, 410, 422, 503)})
async def download_export(
    job_id: uuid.UUID,
    actor: CurrentActor,
    download: Annotated[DownloadExport, provided(Container.download_export)],
) -> StreamingResponse:
    document = await download(actor, job_id=JobId(job_id))
    headers = {
        "Content-Disposition": f'attachment; filename="inkwell-export-{job_id}.json"',
        "Content-Length": str(document.size),
        "Cache-Control": "no-store",
    }
    return StreamingResponse(document.chunks, media_type="application/json", headers=headers)
