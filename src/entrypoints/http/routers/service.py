"""Routes for the service's operators, behind the service API key: Prometheus metrics.

Kept out of the OpenAPI document: they are for monitoring systems, not API clients, and answer in
Prometheus's text format rather than JSON. The README documents them.
"""

import asyncio
import logging

from fastapi import APIRouter, Request, Response
from prometheus_client.exposition import choose_encoder

from application.errors import DependencyUnavailable
from application.ports.queries import JobQueries
from application.views import JobStats
from entrypoints.http.metrics import HttpMetrics, job_families
from entrypoints.http.service_auth import service_caller

router = APIRouter(include_in_schema=False)
log = logging.getLogger("inkwell.http")

# A scrape should not hang on a slow database: past this the job metrics are left out of it.
JOB_STATS_TIMEOUT_SECONDS = 3.0


@router.get("/metrics", dependencies=[service_caller("metrics")])
async def metrics(request: Request) -> Response:
    container = request.app.state.container
    registry: HttpMetrics = request.app.state.metrics
    stats = await _job_stats(container.storage.jobs())
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    body = registry.render(encode, *job_families(stats, container.clock().now()))
    return Response(body, media_type=content_type)


async def _job_stats(jobs: JobQueries) -> JobStats | None:
    try:
        return await asyncio.wait_for(jobs.stats(), JOB_STATS_TIMEOUT_SECONDS)
    except (DependencyUnavailable, TimeoutError) as error:
        log.warning("job_stats_unavailable", extra={"error": type(error).__name__})
        return None
