"""Log out: end the caller's session and revoke the access token it used."""

from datetime import timedelta

from application.actor import Actor
from application.audit import record_alone
from application.ports.persistence import UnitOfWork
from application.ports.tokens import TokenStore
from domain.audit import AuditAction, AuditEvent

# Tokens are accepted up to this much past their expiry (clock skew); revocations outlive that.
LEEWAY = timedelta(seconds=60)


class LogOut:
    def __init__(self, *, store: TokenStore, uow: UnitOfWork) -> None:
        self._store = store
        self._uow = uow

    async def __call__(self, actor: Actor) -> None:
        await self._store.revoke_token(actor.access.token_id, until=actor.access.expires_at + LEEWAY)
        await self._store.end_session(actor.access.session_id)
        await record_alone(self._uow, AuditEvent(
            action=AuditAction.LOGGED_OUT, actor_id=actor.user_id, target_id=actor.user_id,
            details={"session": str(actor.access.session_id)},
        ))
