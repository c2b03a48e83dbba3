"""UserRepository contract: what a stored account looks like when it comes back, on every backend."""

from datetime import UTC, datetime, timedelta

from domain.ids import new_session_id, new_user_id
from domain.users import Email, Role, User, Username
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_user, state_of


async def _stored(storage: Storage, user: User) -> User:
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.commit()
    return user


async def test_a_stored_user_comes_back_whole(storage: Storage) -> None:
    user = await _stored(storage, a_user(role=Role.ADMIN))
    async with storage.uow() as uow:
        found = await uow.users.get(user.id)
    assert found is not None
    assert state_of(found) == state_of(user)


async def test_instants_come_back_timezone_aware_in_utc_with_microseconds(storage: Storage) -> None:
    user = a_user()
    user.email_verified_at = datetime(2026, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    await _stored(storage, user)
    async with storage.uow() as uow:
        found = await uow.users.get(user.id)
    assert found is not None
    for instant in (found.created_at, found.updated_at, found.email_verified_at):
        assert instant is not None
        assert instant.utcoffset() == timedelta(0)
    assert found.created_at == CREATED
    assert found.created_at.microsecond == CREATED.microsecond
    assert found.email_verified_at == user.email_verified_at


async def test_found_by_email(storage: Storage) -> None:
    user = await _stored(storage, a_user(email="jake@example.com"))
    async with storage.uow() as uow:
        found = await uow.users.by_email(Email("JAKE@Example.com"))
    assert found is not None and found.id == user.id


async def test_found_by_username_whatever_its_case(storage: Storage) -> None:
    user = await _stored(storage, a_user(username="Jake_Doe"))
    async with storage.uow() as uow:
        found = await uow.users.by_username(Username("jAKE_dOE"))
    assert found is not None
    assert found.id == user.id
    assert found.username.value == "Jake_Doe"


async def test_unknown_users_are_none(storage: Storage) -> None:
    await _stored(storage, a_user())
    async with storage.uow() as uow:
        assert await uow.users.get(new_user_id()) is None
        assert await uow.users.by_email(Email("nobody@example.com")) is None
        assert await uow.users.by_username(Username("nobody")) is None


async def test_saved_changes_are_kept(storage: Storage) -> None:
    user = await _stored(storage, a_user())
    later = CREATED + timedelta(hours=1, microseconds=7)
    kept = new_session_id()
    async with storage.uow() as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        loaded.change_email(Email("new@example.com"), now=later)
        loaded.change_username(Username("Renamed"), now=later)
        loaded.change_password("new-hash", now=later, keep=kept)
        loaded.change_role(Role.ADMIN, now=later)
        loaded.email_verified_at = later
        await uow.users.save(loaded)
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.users.get(user.id)
    assert found is not None
    assert state_of(found) == state_of(loaded)
    assert found.kept_session_id == kept
    assert found.credentials_version == 1


async def test_a_deactivated_user_stays_inactive(storage: Storage) -> None:
    user = await _stored(storage, a_user())
    async with storage.uow() as uow:
        loaded = await uow.users.get(user.id)
        assert loaded is not None
        loaded.deactivate(now=CREATED + timedelta(days=1))
        await uow.users.save(loaded)
        await uow.commit()
    async with storage.uow() as uow:
        found = await uow.users.get(user.id)
    assert found is not None and not found.is_active


async def test_saving_a_user_not_stored_yet_stores_it(storage: Storage) -> None:
    user = a_user()
    async with storage.uow() as uow:
        await uow.users.save(user)
        await uow.commit()
    async with storage.uow() as uow:
        assert await uow.users.get(user.id) is not None


async def test_one_transaction_hands_out_one_object_per_user(storage: Storage) -> None:
    user = await _stored(storage, a_user(email="jake@example.com", username="jake"))
    async with storage.uow() as uow:
        first = await uow.users.get(user.id)
        assert first is not None
        first.change_role(Role.ADMIN, now=CREATED)
        assert await uow.users.by_email(Email("jake@example.com")) is first
        assert await uow.users.by_username(Username("JAKE")) is first
