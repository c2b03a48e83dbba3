"""The service's front door and health endpoints."""

import asyncio
from importlib.metadata import version
from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from application.ports.health import DependencyProbe
from entrypoints.container import Container
from entrypoints.http.dependencies import provided

router = APIRouter(tags=["meta"])

PROBE_TIMEOUT_SECONDS = 2.0


class About(BaseModel):
    name: str
    version: str
    docs: str
    redoc: str
    openapi: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]


@router.get("/", response_model=About, summary="What this service is")
async def about() -> About:
    return About(name="Inkwell", version=version("inkwell"), docs="/docs", redoc="/redoc", openapi="/openapi.json")


@router.get("/health/live", summary="The process is up")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready", response_model=Readiness, summary="Every dependency answers",
            responses={503: {"model": Readiness, "description": "A dependency does not answer"}})
async def ready(probes: Annotated[list[DependencyProbe], provided(Container.probes)]) -> JSONResponse:
    results = await asyncio.gather(*(_run(probe) for probe in probes))
    checks = dict(results)
    healthy = all(state == "ok" for state in checks.values())
    body = Readiness(status="ok" if healthy else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)


async def _run(probe: DependencyProbe) -> tuple[str, str]:
    try:
        await asyncio.wait_for(probe.check(), PROBE_TIMEOUT_SECONDS)
    except Exception:  # any failure means "not ready"; the reason goes to the log, not the caller
        return probe.name, "unavailable"
    return probe.name, "ok"
