"""Change a user's role or active flag: promote, demote, deactivate, reactivate."""

from application.actor import Caller
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.queries import ManagedUserQueries
from application.ports.tokens import TokenStore
from application.use_cases.admin.shared import end_sessions, managed_user, user_to_change, username_of
from application.views import ManagedUser
from domain.audit import AuditAction, AuditEvent
from domain.users import Role, User, ensure_an_admin_remains


class ChangeUserAccess:
    """Demoting or deactivating a user ends every session of theirs at once. Raises Forbidden unless the
    caller is an administrator, NotFound (field `user`), or Conflict (field `user`) when the change
    would leave no active administrator, however many administrators are changed at the same time."""

    def __init__(self, *, uow: UnitOfWork, users: ManagedUserQueries, store: TokenStore, clock: Clock) -> None:
        self._uow = uow
        self._users = users
        self._store = store
        self._clock = clock

    async def __call__(
        self, caller: Caller, *, username: str, role: Role | None = None, active: bool | None = None
    ) -> ManagedUser:
        caller.ensure_admin()
        async with self._uow as uow:
            active_admins = await uow.users.lock_active_admins(along_with=username_of(username))
            user = await user_to_change(uow, username)
            credentials_version = user.credentials_version
            events = self._apply(caller, user, role=role, active=active)
            if events:
                ensure_an_admin_remains(user, active_admins_before=active_admins)
                await uow.users.save(user)
                for event in events:
                    await uow.audit.add(event)
                await uow.commit()
        if user.credentials_version != credentials_version:
            await end_sessions(self._store, user.id)
        return await managed_user(self._users, user.username.value)

    def _apply(self, caller: Caller, user: User, *, role: Role | None, active: bool | None) -> list[AuditEvent]:
        """Change what differs; the events that record each change."""
        now = self._clock.now()
        events: list[AuditEvent] = []

        def audited(action: AuditAction, **details: str) -> None:
            events.append(AuditEvent(
                action=action, actor_id=caller.user_id, target_id=user.id, target=user.username.value,
                details=details,
            ))

        if role is not None and role is not user.role:
            audited(AuditAction.ROLE_CHANGED, **{"from": user.role.value, "to": role.value})
            user.change_role(role, now=now)
        if active is True and not user.is_active:
            user.activate(now=now)
            audited(AuditAction.USER_ACTIVATED)
        elif active is False and user.is_active:
            user.deactivate(now=now)
            audited(AuditAction.USER_DEACTIVATED)
        return events
