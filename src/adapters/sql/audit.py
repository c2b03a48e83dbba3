"""The audit log on one AsyncSession: each event is inserted in the transaction of the change it records."""

from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.tables import audit_events
from application.audit import entry_for
from application.ports.clock import Clock
from application.ports.persistence import AuditLog
from domain.audit import AuditEntry, AuditEvent

# Built once: every write of the log is this statement with other values.
_INSERT = insert(audit_events)


class SqlAuditLog(AuditLog):
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock
        self._written: list[AuditEntry] = []

    async def add(self, event: AuditEvent) -> None:
        entry = entry_for(event, now=self._clock.now())
        await self._session.execute(_INSERT, audit_row(entry))
        self._written.append(entry)

    def take_written(self) -> list[AuditEntry]:
        """The entries written since the last call: the unit of work logs them once they are committed."""
        written, self._written = self._written, []
        return written


def audit_row(entry: AuditEntry) -> dict[str, Any]:
    event = entry.event
    return {
        "at": entry.at, "action": event.action.value, "actor_id": event.actor_id, "target_id": event.target_id,
        "target": event.target, "client_address": entry.client_address, "request_id": entry.request_id,
        "details": dict(event.details),
    }

