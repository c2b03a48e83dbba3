"""ListAuditEntries: administrators read the log newest first, by action, actor or target."""

import contextlib
from datetime import timedelta

import pytest

from application.actor import Actor
from application.errors import InvalidCredentials
from application.use_cases.auth.register import SignedIn
from domain.audit import AuditAction
from domain.errors import Forbidden
from domain.paging import Page
from domain.users import Role
from tests.builders import PASSWORD, App
from tests.unit.application.admin.support import change_access, list_audit_entries, revoke_sessions


@pytest.fixture
async def history(app: App, boss: Actor, jake: SignedIn) -> None:
    """Three log-ins (jake, then a wrong password for jake, then boss), a promotion and a revocation."""
    for email, password in (("jake@example.com", PASSWORD), ("JAKE@example.com", "wrong"),
                            ("boss@example.com", PASSWORD)):
        app.clock.advance(timedelta(seconds=1))
        with contextlib.suppress(InvalidCredentials):  # a failure is recorded too
            await app.log_in()(email=email, password=password)
    app.clock.advance(timedelta(seconds=1))
    await change_access(app)(boss, username="jake", role=Role.ADMIN)
    app.clock.advance(timedelta(seconds=1))
    await revoke_sessions(app)(boss, username="jake")


async def test_newest_first_a_page_at_a_time(app: App, boss: Actor, history: None) -> None:
    first = await list_audit_entries(app)(boss, page=Page(limit=2))
    rest = await list_audit_entries(app)(boss, page=Page(limit=10, offset=2))
    assert first.total == rest.total == 5
    assert [entry.action for entry in first.entries + rest.entries] == [
        AuditAction.SESSIONS_REVOKED, AuditAction.ROLE_CHANGED, AuditAction.LOGIN_SUCCEEDED,
        AuditAction.LOGIN_FAILED, AuditAction.LOGIN_SUCCEEDED,
    ]
    times = [entry.at for entry in first.entries + rest.entries]
    assert times == sorted(times, reverse=True)
    assert len({entry.id for entry in first.entries + rest.entries}) == 5


async def test_by_action(app: App, boss: Actor, history: None) -> None:
    page = await list_audit_entries(app)(boss, action=AuditAction.LOGIN_FAILED, page=Page())
    [failed] = page.entries
    assert (failed.actor_id, failed.target) == (None, "JAKE@example.com")


async def test_by_actor(app: App, boss: Actor, jake: SignedIn, history: None) -> None:
    by_boss = await list_audit_entries(app)(boss, actor_id=boss.user_id, page=Page())
    assert [entry.action for entry in by_boss.entries] == [
        AuditAction.SESSIONS_REVOKED, AuditAction.ROLE_CHANGED, AuditAction.LOGIN_SUCCEEDED,
    ]
    by_jake = await list_audit_entries(app)(boss, actor_id=jake.account.user_id, page=Page())
    assert [entry.action for entry in by_jake.entries] == [AuditAction.LOGIN_SUCCEEDED]


async def test_by_target_as_a_user_id_or_as_text(app: App, boss: Actor, jake: SignedIn, history: None) -> None:
    by_id = await list_audit_entries(app)(boss, target=str(jake.account.user_id), page=Page())
    assert by_id.total == 4  # both log-ins (the failed one was for jake's account too), promotion, revocation
    by_name = await list_audit_entries(app)(boss, target="jake", page=Page())
    assert [entry.action for entry in by_name.entries] == [
        AuditAction.SESSIONS_REVOKED, AuditAction.ROLE_CHANGED, AuditAction.LOGIN_SUCCEEDED,
    ]
    by_address = await list_audit_entries(app)(boss, target="JAKE@example.com", page=Page())
    assert [entry.action for entry in by_address.entries] == [AuditAction.LOGIN_FAILED]


async def test_criteria_combine(app: App, boss: Actor, jake: SignedIn, history: None) -> None:
    page = await list_audit_entries(app)(
        boss, action=AuditAction.ROLE_CHANGED, actor_id=boss.user_id, target="jake", page=Page()
    )
    assert page.total == 1
    nothing = await list_audit_entries(app)(
        boss, action=AuditAction.ROLE_CHANGED, actor_id=jake.account.user_id, page=Page()
    )
    assert (nothing.entries, nothing.total) == ([], 0)


async def test_a_user_may_not_read_the_log(app: App, rob: Actor) -> None:
    with pytest.raises(Forbidden):
        await list_audit_entries(app)(rob, page=Page())
