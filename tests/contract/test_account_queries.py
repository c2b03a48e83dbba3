"""AccountQueries contract: a user's own account and their public profile, as committed."""

from domain.ids import new_user_id
from domain.users import Role
from tests.contract.conftest import Storage
from tests.contract.records import a_profile, a_user


async def _registered(storage: Storage, *, username: str, bio: str | None = None, image: str | None = None,
                      role: Role = Role.USER) -> None:
    user = a_user(email=f"{username.lower()}@example.com", username=username, role=role)
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user, bio=bio, image=image))
        await uow.commit()


async def test_an_account_shows_the_user_and_their_profile(storage: Storage) -> None:
    user = a_user(email="jake@example.com", username="Jake", role=Role.ADMIN)
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user, bio="bio", image="https://example.com/j.png"))
        await uow.commit()
    account = await storage.accounts.account(user.id)
    assert account is not None
    assert (account.user_id, account.email, account.username, account.bio, account.image, account.role) == (
        user.id, "jake@example.com", "Jake", "bio", "https://example.com/j.png", Role.ADMIN
    )


async def test_an_unknown_account_is_none(storage: Storage) -> None:
    await _registered(storage, username="jake")
    assert await storage.accounts.account(new_user_id()) is None


async def test_a_profile_is_found_whatever_the_case_of_the_username(storage: Storage) -> None:
    await _registered(storage, username="Jake", bio="I work at statefarm", image="https://example.com/j.png")
    for asked in ("Jake", "jake", "JAKE"):
        profile = await storage.accounts.profile(asked, viewer=None)
        assert profile is not None
        assert (profile.username, profile.bio, profile.image, profile.following) == (
            "Jake", "I work at statefarm", "https://example.com/j.png", False
        )


async def test_a_profile_seen_by_a_signed_in_viewer_is_not_followed_yet(storage: Storage) -> None:
    await _registered(storage, username="jake")
    profile = await storage.accounts.profile("jake", viewer=new_user_id())
    assert profile is not None and profile.following is False


async def test_a_profile_shows_whether_the_viewer_follows_it(storage: Storage) -> None:
    jake, jane, reader = a_user(username="Jake"), a_user(username="jane"), a_user(username="reader")
    async with storage.uow() as uow:
        for user in (jake, jane, reader):
            await uow.users.add(user)
            await uow.profiles.add(a_profile(user))
        await uow.follows.add(reader.id, jake.id)
        await uow.follows.add(jake.id, reader.id)
        await uow.commit()
    viewers = {"reader": reader.id, "jane": jane.id, "anonymous": None}
    seen = {}
    for name in ("JAKE", "jane"):
        for viewer, viewer_id in viewers.items():
            profile = await storage.accounts.profile(name, viewer=viewer_id)
            assert profile is not None
            seen[name, viewer] = profile.following
    assert seen == {
        ("JAKE", "reader"): True, ("JAKE", "jane"): False, ("JAKE", "anonymous"): False,
        ("jane", "reader"): False, ("jane", "jane"): False, ("jane", "anonymous"): False,
    }


async def test_an_unknown_profile_is_none(storage: Storage) -> None:
    await _registered(storage, username="jake")
    assert await storage.accounts.profile("jane", viewer=None) is None


async def test_uncommitted_changes_are_not_shown(storage: Storage) -> None:
    user = a_user(username="jake")
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user))
        assert await storage.accounts.account(user.id) is None
        assert await storage.accounts.profile("jake", viewer=None) is None
