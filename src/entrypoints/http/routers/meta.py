"""The service's front door and health endpoints."""

import asyncio
import logging
from importlib.metadata import version
from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from application.ports.health import DependencyProbe, NotReady, SchemaBehind
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
    model_config = ConfigDict(json_schema_extra={"example": {
        "status": "ok", "checks": {"database": "ok", "schema": "ok", "redis": "ok", "broker": "ok"}}})
    status: str
    checks: dict[str, str]


class Unready(Readiness):
    """The error model, beside the states: what is not ready, and in the schema's case why."""

    model_config = ConfigDict(json_schema_extra={"example": {
        "errors": {"schema": ["is at revision 0005, the code needs 0006"]}, "status": "unavailable",
        "checks": {"database": "ok", "schema": "behind", "redis": "ok", "broker": "ok"}}})
    errors: dict[str, list[str]]


@router.get("/", response_model=About, summary="What this service is")
async def about() -> About:
    return About(name="Inkwell", version=version("inkwell"), docs="/docs", redoc="/redoc", openapi="/openapi.json")


@router.get("/health/live", summary="The process is up")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health/ready", response_model=Readiness,
            summary="Every dependency answers, and the database schema is as new as the code",
            responses={503: {"model": Unready, "description": "A dependency does not answer, or the schema is behind"}})
async def ready(
    probes: Annotated[list[DependencyProbe], provided(Container.probes)],
    seconds: Annotated[float, provided(Container.readiness_timeout)],
) -> JSONResponse:
    problems = await _check(probes, seconds)
    checks = {name: "ok" if problem is None else problem.state for name, problem in problems.items()}
    errors = {name: [_public(problem)] for name, problem in problems.items() if problem is not None}
    if not errors:
        return JSONResponse(Readiness(status="ok", checks=checks).model_dump())
    return JSONResponse(Unready(status="unavailable", checks=checks, errors=errors).model_dump(), status_code=503)


def _public(problem: NotReady) -> str:
    """What a caller may read: which revisions, for a schema behind; for the rest, the log says more."""
    return problem.summary if isinstance(problem, SchemaBehind) else "is unavailable"


async def _check(probes: list[DependencyProbe], seconds: float) -> dict[str, NotReady | None]:
    """Each probe's problem after at most `seconds`, if it has one: one that has not answered by then is
    unavailable. It is not cancelled, since waiting for a cancelled database call to unwind can take
    longer than the probe itself (psycopg then asks the server to cancel, and waits for it)."""
    tasks = {probe.name: asyncio.create_task(probe.check()) for probe in probes}
    if tasks:
        await asyncio.wait(tasks.values(), timeout=seconds)
    problems: dict[str, NotReady | None] = {}
    for name, task in tasks.items():
        if not task.done():
            _unfinished.add(task)
            task.add_done_callback(_forget)
        problem = problems[name] = _problem(task, seconds)
        if problem is not None:  # the reason goes to the log, not the caller
            log.warning("probe_failed", extra={"dependency": name, "problem": problem.reason})
    return problems


def _problem(task: "asyncio.Task[None]", seconds: float) -> NotReady | None:
    if not task.done():
        return NotReady(f"no answer in {seconds:g} s")
    if task.cancelled():
        return NotReady("cancelled")
    error = task.exception()
    if error is None or isinstance(error, NotReady):
        return error
    return NotReady(f"the probe failed: {type(error).__name__}: {error}")


def _forget(task: "asyncio.Task[None]") -> None:
    _unfinished.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved, so that asyncio does not report it as never retrieved
