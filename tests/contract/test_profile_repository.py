"""ProfileRepository contract: a user's bio and image, one profile per user."""

from domain.ids import new_user_id
from tests.contract.conftest import Storage
from tests.contract.records import a_profile, a_user


async def test_a_stored_profile_comes_back(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user, bio="I work at statefarm", image="https://example.com/jake.png"))
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.profiles.get(user.id)
    assert found is not None
    assert (found.user_id, found.bio, found.image) == (user.id, "I work at statefarm", "https://example.com/jake.png")


async def test_an_empty_profile_comes_back_empty(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user))
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.profiles.get(user.id)
    assert found is not None
    assert (found.bio, found.image) == (None, None)


async def test_saved_changes_are_kept(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user, bio="old", image="https://example.com/old.png"))
        await uow.commit()
    async with storage.uow() as uow:
        profile = await uow.profiles.get(user.id)
        assert profile is not None
        profile.change_bio("new bio")
        profile.change_image(None)
        await uow.profiles.save(profile)
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.profiles.get(user.id)
    assert found is not None
    assert (found.bio, found.image) == ("new bio", None)


async def test_saving_a_profile_not_stored_yet_stores_it(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.save(a_profile(user, bio="saved"))
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.profiles.get(user.id)
    assert found is not None and found.bio == "saved"


async def test_a_change_not_saved_is_not_kept(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user, bio="kept"))
        await uow.commit()
    async with storage.uow() as uow:
        profile = await uow.profiles.get(user.id)
        assert profile is not None
        profile.change_bio("forgotten")
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.profiles.get(user.id)
    assert found is not None and found.bio == "kept"


async def test_an_unknown_profile_is_none(storage: Storage) -> None:
    async with storage.uow() as uow:
        assert await uow.profiles.get(new_user_id()) is None
