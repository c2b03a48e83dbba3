"""Statements every repository writes with: conflicts raised at once, save-or-insert, and INSERT … ON CONFLICT."""

from typing import Any

from sqlalchemy import Executable, Select, Table, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.sql.conflicts import conflict_from


async def write(session: AsyncSession, statement: Executable) -> CursorResult[Any]:
    """Run a write, turning a taken email, username or slug into Conflict as soon as the database says so."""
    try:
        result: CursorResult[Any] = await session.execute(statement)  # type: ignore[assignment]
    except IntegrityError as error:
        conflict = conflict_from(error)
        if conflict is None:
            raise
        raise conflict from error
    return result


async def upsert(session: AsyncSession, table: Table, key: str, row: dict[str, Any]) -> None:
    # Like the in-memory reference, `save` of a row that is not there yet stores it.
    changes = {name: value for name, value in row.items() if name != key}
    updated = await write(session, update(table).where(table.c[key] == row[key]).values(changes))
    if updated.rowcount == 0:
        await write(session, insert(table).values(row))


def insert_or_ignore(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> Executable:
    """INSERT … ON CONFLICT DO NOTHING: spelled alike on both backends, but built by each dialect."""
    return _dialect_insert(session, table).values(rows).on_conflict_do_nothing()


def insert_selected_or_ignore(
    session: AsyncSession, table: Table, columns: list[str], rows: Select[Any]
) -> Executable:
    """INSERT … SELECT … ON CONFLICT DO NOTHING, into `columns`: what the SELECT gives, none when it gives none."""
    return _dialect_insert(session, table).from_select(columns, rows).on_conflict_do_nothing()


def _dialect_insert(session: AsyncSession, table: Table) -> postgresql.Insert | sqlite.Insert:
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
