"""Read side of accounts: one SELECT of users joined to profiles per question."""

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from adapters.sql.queries.authors import profile_columns, profile_of, viewer_parameters
from adapters.sql.reader import SqlReader
from adapters.sql.tables import profiles, users
from application.ports.queries import AccountQueries
from application.views import AccountView, ProfileView
from domain.ids import UserId
from domain.users import Role

_with_profile = users.join(profiles, profiles.c.user_id == users.c.id)

_account = select(
    users.c.id, users.c.email, users.c.username, users.c.role, users.c.email_verified_at, profiles.c.bio,
    profiles.c.image,
).select_from(_with_profile).where(users.c.id == bindparam("user_id"))


@cache
def _profile_statement(signed_in: bool) -> Select[Any]:
    # The lower(username) index finds the user; `following` is an EXISTS in the same SELECT.
    return (
        select(*profile_columns(signed_in, users.c.id))
        .select_from(_with_profile)
        .where(func.lower(users.c.username) == bindparam("username"))
    )


class SqlAccountQueries(AccountQueries):
    def __init__(self, reader: SqlReader) -> None:
        self._reader = reader

    async def account(self, user_id: UserId) -> AccountView | None:
        row = (await self._reader.run(_account, {"user_id": user_id})).one_or_none()
        if row is None:
            return None
        return AccountView(
            user_id=UserId(row.id), email=row.email, username=row.username,
            bio=row.bio, image=row.image, role=Role(row.role), email_verified=row.email_verified_at is not None,
        )

    async def profile(self, username: str, *, viewer: UserId | None) -> ProfileView | None:
        parameters = {"username": username.lower(), **viewer_parameters(viewer)}
        row = (await self._reader.run(_profile_statement(viewer is not None), parameters)).one_or_none()
        return None if row is None else profile_of(row)
