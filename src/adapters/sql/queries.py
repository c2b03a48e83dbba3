"""Read side of accounts: one SELECT of users joined to profiles per question."""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.sql.engine import READ_ONLY
from adapters.sql.tables import profiles, users
from application.ports.queries import AccountQueries
from application.views import AccountView, ProfileView
from domain.ids import UserId
from domain.users import Role

_account = select(
    users.c.id, users.c.email, users.c.username, users.c.role, profiles.c.bio, profiles.c.image
).join_from(users, profiles, profiles.c.user_id == users.c.id)

_profile = select(users.c.username, profiles.c.bio, profiles.c.image).join_from(
    users, profiles, profiles.c.user_id == users.c.id
)


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
            bio=row.bio, image=row.image, role=Role(row.role),
        )

    async def profile(self, username: str, *, viewer: UserId | None) -> ProfileView | None:
        statement = _profile.where(func.lower(users.c.username) == username.lower())
        async with self._session_factory(execution_options=READ_ONLY) as session:
            row = (await session.execute(statement)).one_or_none()
        if row is None:
            return None
        # Follows arrive with their own table; until then nobody follows anyone.
        return ProfileView(username=row.username, bio=row.bio, image=row.image, following=False)
