"""Read side of accounts: one SELECT of users joined to profiles per question."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import READ_ONLY
from adapters.sql.queries.authors import profile_columns, profile_of
from adapters.sql.tables import profiles, users
from application.ports.queries import AccountQueries
from application.views import AccountView, ProfileView
from domain.ids import UserId
from domain.users import Role

_with_profile = users.join(profiles, profiles.c.user_id == users.c.id)

_account = select(
    users.c.id, users.c.email, users.c.username, users.c.role, users.c.email_verified_at, profiles.c.bio,
    profiles.c.image,
).select_from(_with_profile)


class SqlAccountQueries(AccountQueries):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def account(self, user_id: UserId) -> AccountView | None:
        async with self._session_factory(execution_options=READ_ONLY) as session:
            row = (await session.execute(_account.where(users.c.id == user_id))).one_or_none()
        if row is None:
            return None
        return AccountView(
            user_id=UserId(row.id), email=row.email, username=row.username,
            bio=row.bio, image=row.image, role=Role(row.role), email_verified=row.email_verified_at is not None,
        )

    async def profile(self, username: str, *, viewer: UserId | None) -> ProfileView | None:
        # The lower(username) index finds the user; `following` is an EXISTS in the same SELECT.
        statement = (
            select(*profile_columns(viewer, users.c.id))
            .select_from(_with_profile)
            .where(func.lower(users.c.username) == username.lower())
        )
        async with self._session_factory(execution_options=READ_ONLY) as session:
            row = (await session.execute(statement)).one_or_none()
        return None if row is None else profile_of(row)
