"""Read side of administration: the users, listed and searched as administrators see them."""

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Integer, Row, Select, String, bindparam, func, or_, select

from adapters.sql.reader import SqlReader
from adapters.sql.tables import users
from application.ports.queries import ManagedUserQueries, UserFilter
from application.views import ManagedUser, ManagedUserPage
from domain.ids import UserId
from domain.paging import Page
from domain.users import Role

_columns = (users.c.id, users.c.username, users.c.email, users.c.role, users.c.is_active, users.c.email_verified_at,
            users.c.created_at)
_by_username = select(*_columns).where(func.lower(users.c.username) == bindparam("username"))


class _Filters(NamedTuple):
    """Which filters a listing applies: the shape of its statement. Their values are bound parameters."""

    text: bool
    role: bool
    active: bool


def _conditions(shape: _Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if shape.text:
        # Addresses are stored in lower case; usernames keep their owner's, and PostgreSQL's LIKE heeds it.
        pattern = bindparam("pattern", type_=String)
        conditions.append(or_(func.lower(users.c.username).like(pattern, escape="\\"),
                              users.c.email.like(pattern, escape="\\")))
    if shape.role:
        conditions.append(users.c.role == bindparam("role"))
    if shape.active:
        conditions.append(users.c.is_active == bindparam("active"))
    return conditions


@cache
def _page_statement(shape: _Filters) -> Select[Any]:
    return (
        select(*_columns).where(*_conditions(shape)).order_by(users.c.created_at, users.c.id)
        .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer))
    )


@cache
def _count_statement(shape: _Filters) -> Select[Any]:
    return select(func.count()).select_from(users).where(*_conditions(shape))


def _pattern(text: str) -> str:
    """`text` anywhere, with LIKE's wildcards and its escape character taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(criteria: UserFilter) -> tuple[_Filters, dict[str, Any]]:
    shape = _Filters(text=criteria.text is not None, role=criteria.role is not None, active=criteria.active is not None)
    values: dict[str, Any] = {}
    if criteria.text is not None:
        values["pattern"] = _pattern(criteria.text)
    if criteria.role is not None:
        values["role"] = criteria.role.value
    if criteria.active is not None:
        values["active"] = criteria.active
    return shape, values


def _view(row: Row[Any]) -> ManagedUser:
    return ManagedUser(
        user_id=UserId(row.id), username=row.username, email=row.email, role=Role(row.role),
        is_active=bool(row.is_active), email_verified=row.email_verified_at is not None, created_at=row.created_at,
    )


class SqlManagedUserQueries(ManagedUserQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def users(self, criteria: UserFilter, page: Page) -> ManagedUserPage:
        shape, values = _filters(criteria)
        rows = (await self._reader.run(
            _page_statement(shape), {**values, "limit": page.limit, "offset": page.offset}
        )).all()
        total = (await self._reader.run(_count_statement(shape), values)).scalar_one()
        return ManagedUserPage(users=[_view(row) for row in rows], total=total)

    async def user(self, username: str) -> ManagedUser | None:
        row = (await self._reader.run(_by_username, {"username": username.lower()})).one_or_none()
        return None if row is None else _view(row)
