"""On PostgreSQL the audit log refuses to be rewritten: UPDATE and DELETE fail whoever sends them, and
the rows stay as they were. Its owner can still empty it with TRUNCATE, for retention."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from adapters.sql.migrations import upgrade_async
from adapters.sql.tables import audit_events
from adapters.sql.unit_of_work import SqlUnitOfWork
from adapters.system_clock import SystemClock
from domain.audit import AuditAction, AuditEvent
from domain.ids import new_user_id
from tests.contract.databases import fresh_postgres_database, sessions_on
from tests.integration.conftest import SessionFactory
from tests.services import require_postgres


@pytest.fixture
async def postgres() -> AsyncIterator[SessionFactory]:
    require_postgres()
    with fresh_postgres_database() as url:
        await upgrade_async(url)
        async with sessions_on(url) as factory:
            yield factory


async def _count(factory: SessionFactory) -> int:
    async with factory() as session:
        return int((await session.execute(select(func.count()).select_from(audit_events))).scalar_one())


async def test_entries_can_be_added_but_neither_changed_nor_removed(postgres: SessionFactory) -> None:
    async with SqlUnitOfWork(postgres, SystemClock()) as uow:
        await uow.audit.add(AuditEvent(action=AuditAction.LOGIN_FAILED, actor_id=None, target="jake@example.com"))
        await uow.commit()
    for statement in (update(audit_events).values(target="someone else"), delete(audit_events)):
        async with postgres() as session:
            with pytest.raises(DBAPIError, match="audit_events is append-only"):
                await session.execute(statement)
    async with postgres() as session:
        assert (await session.execute(select(audit_events.c.target))).scalar_one() == "jake@example.com"


async def test_the_owner_can_empty_it_for_retention(postgres: SessionFactory) -> None:
    async with SqlUnitOfWork(postgres, SystemClock()) as uow:
        await uow.audit.add(AuditEvent(action=AuditAction.SESSIONS_REVOKED, actor_id=None, target_id=new_user_id()))
        await uow.commit()
    assert await _count(postgres) == 1
    async with postgres() as session:
        await session.execute(text("TRUNCATE audit_events"))
        await session.commit()
    assert await _count(postgres) == 0
