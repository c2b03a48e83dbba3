"""Read side of the audit log: a page of entries, newest first, by action, actor or target."""

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Integer, RowMapping, Select, bindparam, func, select

from adapters.sql.reader import SqlReader
from adapters.sql.tables import audit_events
from application.ports.queries import AuditFilter, AuditQueries
from application.views import AuditEntryView, AuditPage
from domain.audit import AuditAction
from domain.ids import UserId
from domain.paging import Page

# The criteria a filter may set, each the name of the column and of the parameter that holds its value.
_CRITERIA = ("action", "actor_id", "target_id", "target")


class _Filters(NamedTuple):
    """Which criteria a page applies: the shape of its statement (see `_CRITERIA`)."""

    action: bool
    actor_id: bool
    target_id: bool
    target: bool


def _conditions(shape: _Filters) -> list[ColumnElement[bool]]:
    return [audit_events.c[name] == bindparam(name) for name, applied in zip(_CRITERIA, shape, strict=True) if applied]


@cache
def _page_statement(shape: _Filters) -> Select[Any]:
    return (
        select(audit_events).where(*_conditions(shape))
        .order_by(audit_events.c.at.desc(), audit_events.c.id.desc())
        .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    )


@cache
def _count_statement(shape: _Filters) -> Select[Any]:
    return select(func.count()).select_from(audit_events).where(*_conditions(shape))


def _filters(criteria: AuditFilter) -> tuple[_Filters, dict[str, Any]]:
    values: dict[str, Any] = {
        "action": None if criteria.action is None else criteria.action.value,
        "actor_id": criteria.actor_id, "target_id": criteria.target_id, "target": criteria.target,
    }
    shape = _Filters(*(values[name] is not None for name in _CRITERIA))
    return shape, {name: value for name, value in values.items() if value is not None}


def _view(row: RowMapping) -> AuditEntryView:
    actor, target = row["actor_id"], row["target_id"]
    return AuditEntryView(
        id=row["id"], at=row["at"], action=AuditAction(row["action"]),
        actor_id=None if actor is None else UserId(actor), target_id=None if target is None else UserId(target),
        target=row["target"], client_address=row["client_address"], request_id=row["request_id"],
        details=dict(row["details"]),
    )


class SqlAuditQueries(AuditQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def entries(self, criteria: AuditFilter, page: Page) -> AuditPage:
        shape, values = _filters(criteria)
        rows = (await self._reader.run(
            _page_statement(shape), {**values, "limit": page.limit, "offset": page.offset}
        )).mappings().all()
        total = (await self._reader.run(_count_statement(shape), values)).scalar_one()
        return AuditPage(entries=[_view(row) for row in rows], total=total)
