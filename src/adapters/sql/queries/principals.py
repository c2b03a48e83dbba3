"""Read side of authentication: who a token may speak for, in one indexed read that takes no write lock."""

from sqlalchemy import bindparam, select

from adapters.sql.reader import SqlReader
from adapters.sql.tables import users
from application.ports.queries import PrincipalQueries
from application.views import Principal
from domain.ids import SessionId, UserId
from domain.users import Role, SessionCutoff

_principal = select(
    users.c.id, users.c.role, users.c.is_active, users.c.credentials_version, users.c.kept_session_id
).where(users.c.id == bindparam("user_id"))


class SqlPrincipalQueries(PrincipalQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def principal(self, user_id: UserId) -> Principal | None:
        row = (await self._reader.run(_principal, {"user_id": user_id})).one_or_none()
        if row is None:
            return None
        kept = SessionId(row.kept_session_id) if row.kept_session_id is not None else None
        return Principal(
            user_id=UserId(row.id), role=Role(row.role), is_active=row.is_active,
            cutoff=SessionCutoff(credentials_version=row.credentials_version, kept=kept),
        )
