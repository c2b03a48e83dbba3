"""Service routes (`/metrics`) admit holders of the service API key in `X-API-Key`, and nobody else: a
user's token is no key, whatever the user's role."""

import logging
from typing import Any

from fastapi import Depends, Request

from domain.errors import Forbidden, NotFound, Unauthenticated
from entrypoints.service_key import HEADER, ServiceKey, Verdict

log = logging.getLogger("inkwell.http")


def service_caller(routes: str) -> Any:
    """A dependency that refuses any caller without the service API key: 401 without the header, 403 with
    another key, and 404 while no key is configured, `routes` (e.g. "metrics") naming what is disabled."""

    async def dependency(request: Request) -> None:
        key: ServiceKey = request.app.state.service_key
        verdict = key.check(request.headers.get(HEADER))
        if verdict is Verdict.ACCEPTED:
            return
        if verdict is Verdict.DISABLED:
            raise NotFound("are disabled until SERVICE_API_KEY is set", field=routes)
        log.warning("service_key_refused", extra={"path": request.url.path, "verdict": verdict.value})
        if verdict is Verdict.MISSING:
            raise Unauthenticated("is missing", field="api key")
        raise Forbidden("is invalid", field="api key")

    return Depends(dependency)
