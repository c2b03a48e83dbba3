"""The service's front door and health endpoints."""

import asyncio
import logging
from importlib.metadata import version
from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from application.ports.health import DependencyProbe
from entrypoints.container import Container
from entrypoints.http.dependencies import provided

router = APIRouter(tags=["meta"])
log = logging.getLogger("inkwell.http")

# Probes still running when readiness answers are left to finish on their own (each is bounded by its
# client's timeouts); they are kept here until then, so that none is collected half-way.
_unfinished: set["asyncio.Task[None]"] = set()


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
async def ready(
    probes: Annotated[list[DependencyProbe], provided(Container.probes)],
    seconds: Annotated[float, provided(Container.readiness_timeout)],
) -> JSONResponse:
    checks = await _check(probes, seconds)
    healthy = all(state == "ok" for state in checks.values())
    body = Readiness(status="ok" if healthy else "unavailable", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)


async def _check(probes: list[DependencyProbe], seconds: float) -> dict[str, str]:
    """Each probe's state after at most `seconds`: one that has not answered by then is
    unavailable. It is not cancelled, since waiting for a cancelled database call to unwind can take
    longer than the probe itself (psycopg then asks the server to cancel, and waits for it)."""
    tasks = {probe.name: asyncio.create_task(probe.check()) for probe in probes}
    if tasks:
        await asyncio.wait(tasks.values(), timeout=seconds)
    checks: dict[str, str] = {}
    for name, task in tasks.items():
        if not task.done():
            _unfinished.add(task)
            task.add_done_callback(_forget)
        problem = _problem(task)
        if problem is not None:  # the reason goes to the log, not the caller
            log.warning("probe_failed", extra={"dependency": name, "problem": problem})
        checks[name] = "ok" if problem is None else "unavailable"
    return checks


def _problem(task: "asyncio.Task[None]") -> str | None:
    if not task.done():
        return "no answer in time"
    if task.cancelled():
        return "cancelled"
    error = task.exception()
    return None if error is None else type(error).__name__


def _forget(task: "asyncio.Task[None]") -> None:
    _unfinished.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so that asyncio does not report it as never retrieved
