"""Log out everywhere: end every session of the caller."""

from application.actor import Actor
from application.errors import InvalidToken
from application.ports.persistence import UnitOfWork
from application.ports.tokens import TokenStore
from application.use_cases.auth.log_out import LEEWAY
from domain.audit import AuditAction, AuditEvent


class LogOutEverywhere:
    """Ends the sessions in the token store and, as a backstop, moves the user's session cut-off."""

    def __init__(self, *, uow: UnitOfWork, store: TokenStore) -> None:
        self._uow = uow
        self._store = store

    async def __call__(self, actor: Actor) -> None:
        async with self._uow as uow:
            user = await uow.users.get(actor.user_id, for_change=True)
            if user is None:
                raise InvalidToken()
            user.revoke_sessions()
            await uow.users.save(user)
            await uow.audit.add(AuditEvent(
                action=AuditAction.LOGGED_OUT_EVERYWHERE, actor_id=actor.user_id, target_id=user.id,
                target=user.username.value,
            ))
            await uow.commit()
        await self._store.end_all_sessions(actor.user_id)
        await self._store.revoke_token(actor.access.token_id, until=actor.access.expires_at + LEEWAY)
