"""In-memory read side over the committed state of a MemoryDatabase."""

from adapters.memory.database import MemoryDatabase
from application.ports.queries import AccountQueries
from application.views import AccountView, ProfileView
from domain.ids import UserId


class MemoryAccountQueries(AccountQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def account(self, user_id: UserId) -> AccountView | None:
        user, profile = self._db.users.get(user_id), self._db.profiles.get(user_id)
        if user is None or profile is None:
            return None
        return AccountView(
            user_id=user.id, email=user.email.value, username=user.username.value,
            bio=profile.bio, image=profile.image, role=user.role,
        )

    async def profile(self, username: str, *, viewer: UserId | None) -> ProfileView | None:
        key = username.lower()
        user = next((u for u in self._db.users.values() if u.username.key == key), None)
        if user is None:
            return None
        profile = self._db.profiles[user.id]
        return ProfileView(username=user.username.value, bio=profile.bio, image=profile.image, following=False)
