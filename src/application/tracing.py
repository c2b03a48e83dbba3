"""The id of the request (or job) being served, so that the jobs it causes carry it and logs can be joined."""

from contextvars import ContextVar

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
