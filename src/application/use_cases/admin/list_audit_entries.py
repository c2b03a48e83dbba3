"""Read the audit log, for administrators."""

import uuid

from application.actor import Caller
from application.ports.queries import AuditFilter, AuditQueries
from application.views import AuditPage
from domain.audit import AuditAction
from domain.ids import UserId
from domain.paging import Page


class ListAuditEntries:
    """Newest first. `target` is a user's id (what happened to that user) or the text an entry names its
    target by: a username, a slug, an e-mail address as typed. Raises Forbidden unless the caller is an
    administrator."""

    def __init__(self, *, audit: AuditQueries) -> None:
        self._audit = audit

    async def __call__(
        self, caller: Caller, *, action: AuditAction | None = None, actor_id: UserId | None = None,
        target: str | None = None, page: Page,
    ) -> AuditPage:
        caller.ensure_admin()
        target_id, target_text = _user_or_text(target)
        criteria = AuditFilter(action=action, actor_id=actor_id, target_id=target_id, target=target_text)
        return await self._audit.entries(criteria, page)


def _user_or_text(target: str | None) -> tuple[UserId | None, str | None]:
    if target is None:
        return None, None
    try:
        return UserId(uuid.UUID(target)), None
    except ValueError:
        return None, target
