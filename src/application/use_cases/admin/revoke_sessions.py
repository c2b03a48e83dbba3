"""End every session of a user, for administrators: a stolen laptop, a leaked token."""

from application.actor import Caller
from application.ports.persistence import UnitOfWork
from application.ports.tokens import TokenStore
from application.use_cases.admin.shared import end_sessions, user_to_change
from domain.audit import AuditAction, AuditEvent


class RevokeSessions:
    """Raises Forbidden unless the caller is an administrator, or NotFound (field `user`)."""

    def __init__(self, *, uow: UnitOfWork, store: TokenStore) -> None:
        self._uow = uow
        self._store = store

    async def __call__(self, caller: Caller, *, username: str) -> None:
        caller.ensure_admin()
        async with self._uow as uow:
            user = await user_to_change(uow, username)
            user.revoke_sessions()
            await uow.users.save(user)
            await uow.audit.add(AuditEvent(
                action=AuditAction.SESSIONS_REVOKED, actor_id=caller.user_id, target_id=user.id,
                target=user.username.value,
            ))
            await uow.commit()
        await end_sessions(self._store, user.id)
