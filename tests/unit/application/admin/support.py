"""The administration use cases as the container builds them, and what the tests look at afterwards."""

from application.actor import SYSTEM
from application.use_cases.admin.change_user_access import ChangeUserAccess
from application.use_cases.admin.list_audit_entries import ListAuditEntries
from application.use_cases.admin.list_users import ListUsers
from application.use_cases.admin.revoke_sessions import RevokeSessions
from application.views import AuditEntryView
from domain.audit import AuditAction
from domain.ids import UserId
from domain.paging import Page
from tests.builders import App


def list_users(app: App) -> ListUsers:
    return app.container.list_users()  # type: ignore[no-any-return]


def change_access(app: App) -> ChangeUserAccess:
    return app.container.change_user_access()  # type: ignore[no-any-return]


def revoke_sessions(app: App) -> RevokeSessions:
    return app.container.revoke_sessions()  # type: ignore[no-any-return]


def list_audit_entries(app: App) -> ListAuditEntries:
    return app.container.list_audit_entries()  # type: ignore[no-any-return]


async def audited(app: App, action: AuditAction | None = None) -> list[AuditEntryView]:
    """The audit log's entries (of one action), newest first, as the operator reads them."""
    page = await list_audit_entries(app)(SYSTEM, action=action, page=Page(limit=100))
    return page.entries


def sessions_of(app: App, user_id: UserId) -> int:
    """How many sessions of the user the token store still holds."""
    return sum(1 for session in app.store._sessions.values() if session.user_id == user_id)
