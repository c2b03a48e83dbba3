"""Recording audit events: dated and traced to the request that caused them, in the transaction of their change.

Events that change nothing else (a log-in, a log-out, a refresh token presented twice) are written in
a short transaction of their own by `record_alone`. Once its transaction commits, each event is also
one line on the `inkwell.audit` logger (see `log_committed`), for whoever reads the service's logs.
"""

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from application.errors import DependencyUnavailable
from application.ports.persistence import UnitOfWork
from application.tracing import current_client_address, current_request_id
from domain.audit import AuditAction, AuditEntry, AuditEvent

log = logging.getLogger("inkwell.audit")

# Signs of an attack rather than of use: a password being guessed, a refresh token stolen.
_ALARMING = {AuditAction.LOGIN_FAILED, AuditAction.REFRESH_REUSED}


def entry_for(event: AuditEvent, *, now: datetime) -> AuditEntry:
    """The event as the log keeps it, with the client and request being served (None outside a request)."""
    return AuditEntry(
        event=event, at=now, client_address=current_client_address.get(), request_id=current_request_id.get()
    )


async def record_alone(uow: UnitOfWork, event: AuditEvent) -> None:
    """Record an event that has no change of its own to ride with. What it records has already happened
    (a session opened or ended) and cannot be undone by failing now, so a database that is down costs
    the row, not the caller's answer: the event is logged instead, to be found in the service's logs."""
    try:
        async with uow:
            await uow.audit.add(event)
            await uow.commit()
    except DependencyUnavailable:
        log.warning("audit_not_recorded", extra={
            **_fields(event), "client_address": current_client_address.get(), "request_id": current_request_id.get(),
        })


def log_committed(entries: Iterable[AuditEntry]) -> None:
    """One line per entry, named by its action. Units of work call it once the transaction that wrote
    `entries` has committed, so that a change rolled back is never logged as done. The fields are the
    entry's, which hold no password or token, and whose text from clients is cleaned of control
    characters (see `domain.audit`)."""
    for entry in entries:
        level = logging.WARNING if entry.event.action in _ALARMING else logging.INFO
        log.log(level, entry.event.action.value, extra={
            **_fields(entry.event), "client_address": entry.client_address, "request_id": entry.request_id,
        })


def _fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "action": event.action.value,
        "actor_id": str(event.actor_id) if event.actor_id else None,
        "target_id": str(event.target_id) if event.target_id else None,
        "target": event.target,
        "details": dict(event.details),
    }
