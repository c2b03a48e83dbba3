"""Download a finished export."""

from datetime import datetime

from application.actor import Actor
from application.jobs.catalog import BuildExport
from application.ports.clock import Clock
from application.ports.exports import ExportDocument, ExportStore
from application.ports.queries import JobQueries
from application.use_cases.jobs.shared import visible_job
from domain.errors import Conflict, Gone, NotFound
from domain.ids import JobId
from domain.jobs import JobStatus


class DownloadExport:
    """For its owner or an administrator. Raises NotFound (no such export, or not theirs), Conflict
    (not finished yet) or Gone (expired and deleted)."""

    def __init__(self, *, jobs: JobQueries, store: ExportStore, clock: Clock) -> None:
        self._jobs = jobs
        self._store = store
        self._clock = clock

    async def __call__(self, actor: Actor, *, job_id: JobId) -> ExportDocument:
        job = await visible_job(self._jobs, actor, job_id)
        if job.type != BuildExport.TYPE:
            raise NotFound("not found", field="export")
        if job.status is not JobStatus.SUCCEEDED or job.result is None:
            raise Conflict("is not ready yet", field="export")
        expires_at = datetime.fromisoformat(str(job.result["expiresAt"]))
        document = await self._store.open(job_id) if expires_at > self._clock.now() else None
        if document is None:
            raise Gone("has expired", field="export")
        return document
