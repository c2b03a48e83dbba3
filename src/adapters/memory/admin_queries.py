"""In-memory read side of administration: the users as administrators see them, and the audit log."""

from adapters.memory.database import MemoryDatabase
from application.ports.queries import AuditFilter, AuditQueries, ManagedUserQueries, UserFilter
from application.views import AuditEntryView, AuditPage, ManagedUser, ManagedUserPage
from domain.audit import AuditEntry
from domain.paging import Page
from domain.users import User


def _managed(user: User) -> ManagedUser:
    return ManagedUser(
        user_id=user.id, username=user.username.value, email=user.email.value, role=user.role,
        is_active=user.is_active, email_verified=user.is_verified, created_at=user.created_at,
    )


def _matches(user: User, criteria: UserFilter) -> bool:
    text = None if criteria.text is None else criteria.text.lower()
    return (
        (text is None or text in user.username.key or text in user.email.value)
        and (criteria.role is None or user.role is criteria.role)
        and (criteria.active is None or user.is_active == criteria.active)
    )


class MemoryManagedUserQueries(ManagedUserQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def users(self, criteria: UserFilter, page: Page) -> ManagedUserPage:
        found = [user for user in self._db.state.users.values() if _matches(user, criteria)]
        found.sort(key=lambda user: (user.created_at, user.id))
        return ManagedUserPage(
            users=[_managed(user) for user in found[page.offset : page.offset + page.limit]], total=len(found)
        )

    async def user(self, username: str) -> ManagedUser | None:
        key = username.lower()
        return next((_managed(u) for u in self._db.state.users.values() if u.username.key == key), None)


def _entry_view(entry_id: int, entry: AuditEntry) -> AuditEntryView:
    event = entry.event
    return AuditEntryView(
        id=entry_id, at=entry.at, action=event.action, actor_id=event.actor_id, target_id=event.target_id,
        target=event.target, client_address=entry.client_address, request_id=entry.request_id,
        details=dict(event.details),
    )


def _selected(entry: AuditEntry, criteria: AuditFilter) -> bool:
    event = entry.event
    return (
        (criteria.action is None or event.action is criteria.action)
        and (criteria.actor_id is None or event.actor_id == criteria.actor_id)
        and (criteria.target_id is None or event.target_id == criteria.target_id)
        and (criteria.target is None or event.target == criteria.target)
    )


class MemoryAuditQueries(AuditQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def entries(self, criteria: AuditFilter, page: Page) -> AuditPage:
        found = [
            _entry_view(number, entry) for number, entry in enumerate(self._db.state.audit, start=1)
            if _selected(entry, criteria)
        ]
        found.sort(key=lambda view: (view.at, view.id), reverse=True)
        return AuditPage(entries=found[page.offset : page.offset + page.limit], total=len(found))
