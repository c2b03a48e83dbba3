"""ManagedUserQueries contract: the administrators' list of users, searched and paged alike everywhere."""

from datetime import timedelta

from application.ports.queries import UserFilter
from domain.paging import Page
from domain.users import Role, User
from tests.contract.conftest import Storage
from tests.contract.records import CREATED, a_profile, a_user


async def _stored(storage: Storage, username: str, *, email: str | None = None, role: Role = Role.USER,
                  seconds: int = 0, active: bool = True, verified: bool = False) -> User:
    user = a_user(email=email or f"{username.lower()}@example.com", username=username, role=role,
                  now=CREATED + timedelta(seconds=seconds))
    if not active:
        user.deactivate(now=user.created_at)
    if verified:
        user.verify_email(now=user.created_at)
    async with storage.uow() as uow:
        await uow.users.add(user)
        await uow.profiles.add(a_profile(user))
        await uow.commit()
    return user


async def _names(storage: Storage, criteria: UserFilter | None = None, page: Page | None = None) -> list[str]:
    found = await storage.managed_users.users(criteria or UserFilter(), page or Page())
    return [view.username for view in found.users]


async def test_a_user_is_shown_with_what_an_administrator_needs(storage: Storage) -> None:
    user = await _stored(storage, "Jake", role=Role.ADMIN, verified=True)
    page = await storage.managed_users.users(UserFilter(), Page())
    assert page.total == 1
    [view] = page.users
    assert (view.user_id, view.username, view.email, view.role, view.is_active, view.email_verified,
            view.created_at) == (user.id, "Jake", "jake@example.com", Role.ADMIN, True, True, CREATED)


async def test_oldest_account_first_with_ties_broken_by_id(storage: Storage) -> None:
    late = await _stored(storage, "late", seconds=5)
    twins = sorted([await _stored(storage, "twin_a", seconds=1), await _stored(storage, "twin_b", seconds=1)],
                   key=lambda user: user.id)
    early = await _stored(storage, "early")
    expected = [early.username.value, *(twin.username.value for twin in twins), late.username.value]
    assert await _names(storage) == expected
    pages = [await _names(storage, page=Page(limit=1, offset=n)) for n in range(4)]
    assert [name for page in pages for name in page] == expected


async def test_the_total_counts_every_match_whatever_the_page(storage: Storage) -> None:
    for n in range(5):
        await _stored(storage, f"user{n}", seconds=n)
    page = await storage.managed_users.users(UserFilter(), Page(limit=2, offset=2))
    assert ([view.username for view in page.users], page.total) == (["user2", "user3"], 5)
    beyond = await storage.managed_users.users(UserFilter(), Page(limit=2, offset=10))
    assert (beyond.users, beyond.total) == ([], 5)


async def test_text_is_found_in_usernames_and_addresses_whatever_the_case(storage: Storage) -> None:
    await _stored(storage, "JakeTheDog", email="jake@adventure.example", seconds=1)
    await _stored(storage, "finn", email="finn.human@example.com", seconds=2)
    await _stored(storage, "marceline", email="vampire@JAKES.example", seconds=3)
    assert await _names(storage, UserFilter(text="jake")) == ["JakeTheDog", "marceline"]
    assert await _names(storage, UserFilter(text="THEDOG")) == ["JakeTheDog"]
    assert await _names(storage, UserFilter(text="HUMAN@")) == ["finn"]
    assert await _names(storage, UserFilter(text="princess")) == []


async def test_like_wildcards_in_the_text_are_plain_characters(storage: Storage) -> None:
    await _stored(storage, "a_b", seconds=1)
    await _stored(storage, "axb", email="100%real@example.com", seconds=2)
    await _stored(storage, "back", email="back\\slash@example.com", seconds=3)
    assert await _names(storage, UserFilter(text="a_b")) == ["a_b"]
    assert await _names(storage, UserFilter(text="_")) == ["a_b"]
    assert await _names(storage, UserFilter(text="%")) == ["axb"]
    assert await _names(storage, UserFilter(text="0%r")) == ["axb"]
    assert await _names(storage, UserFilter(text="\\")) == ["back"]
    assert await _names(storage, UserFilter(text="\\s")) == ["back"]


async def test_role_and_active_flag_narrow_the_list(storage: Storage) -> None:
    await _stored(storage, "boss", role=Role.ADMIN, seconds=1)
    await _stored(storage, "old_boss", role=Role.ADMIN, active=False, seconds=2)
    await _stored(storage, "jake", seconds=3)
    await _stored(storage, "gone", active=False, seconds=4)
    assert await _names(storage, UserFilter(role=Role.ADMIN)) == ["boss", "old_boss"]
    assert await _names(storage, UserFilter(active=False)) == ["old_boss", "gone"]
    assert await _names(storage, UserFilter(role=Role.USER, active=True)) == ["jake"]
    assert await _names(storage, UserFilter(role=Role.ADMIN, active=False, text="OLD")) == ["old_boss"]
    counted = await storage.managed_users.users(UserFilter(active=True), Page(limit=1))
    assert counted.total == 2


async def test_one_user_is_found_whatever_the_case_of_the_name(storage: Storage) -> None:
    user = await _stored(storage, "Jake")
    for asked in ("Jake", "jake", "JAKE"):
        view = await storage.managed_users.user(asked)
        assert view is not None and view.user_id == user.id
    assert await storage.managed_users.user("nobody") is None
