"""Who and what is being served, so that the jobs and records a request causes can say so.

`current_request_id` is the id of the request (or job) being served: the jobs it causes carry it and
logs can be joined. `current_client_address` is the address of the client the HTTP layer is serving
(through trusted proxies), for the audit log; None outside a request.
"""

from contextvars import ContextVar

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)
current_client_address: ContextVar[str | None] = ContextVar("current_client_address", default=None)
