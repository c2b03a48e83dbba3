"""ListUsers: administrators page through the users, oldest account first, and search them."""

from datetime import timedelta

import pytest

from application.actor import SYSTEM, Actor, Caller
from application.ports.queries import UserFilter
from domain.errors import Forbidden
from domain.paging import Page
from domain.users import Role
from tests.builders import App, a_user, an_author, change_user
from tests.unit.application.admin.support import list_users


async def _registered(app: App, *names: str) -> None:
    for name in names:
        app.clock.advance(timedelta(seconds=1))
        await a_user(app, email=f"{name.lower()}@example.com", username=name)


async def _names(app: App, caller: Caller, criteria: UserFilter | None = None, page: Page | None = None) -> list[str]:
    found = await list_users(app)(caller, criteria=criteria or UserFilter(), page=page or Page())
    return [view.username for view in found.users]


async def test_lists_every_user_oldest_first_with_what_an_administrator_needs(app: App, boss: Actor) -> None:
    await _registered(app, "Jake", "jane")
    page = await list_users(app)(boss, criteria=UserFilter(), page=Page())
    assert page.total == 3
    assert [view.username for view in page.users] == ["boss", "Jake", "jane"]
    jake = page.users[1]
    assert (jake.email, jake.role, jake.is_active, jake.email_verified) == ("jake@example.com", Role.USER, True, False)
    assert jake.created_at == page.users[0].created_at + timedelta(seconds=1)


async def test_pages_are_stable_and_the_total_counts_them_all(app: App, boss: Actor) -> None:
    await _registered(app, *(f"user{n}" for n in range(5)))
    first = await _names(app, boss, page=Page(limit=4))
    rest = await _names(app, boss, page=Page(limit=4, offset=4))
    assert first + rest == ["boss", *(f"user{n}" for n in range(5))]


async def test_searches_usernames_and_addresses_whatever_the_case(app: App, boss: Actor) -> None:
    await _registered(app, "Jake", "jane")
    assert await _names(app, boss, UserFilter(text="JA")) == ["Jake", "jane"]
    assert await _names(app, boss, UserFilter(text="ke@EXAMPLE")) == ["Jake"]
    assert await _names(app, boss, UserFilter(text="nobody")) == []


async def test_filters_by_role_and_by_active_flag(app: App, boss: Actor) -> None:
    await _registered(app, "jake", "jane")
    jane = await an_author(app, "janet")
    await change_user(app, jane.user_id, lambda user: user.deactivate(now=app.clock.now()))
    assert await _names(app, boss, UserFilter(role=Role.ADMIN)) == ["boss"]
    assert await _names(app, boss, UserFilter(active=False)) == ["janet"]
    assert await _names(app, boss, UserFilter(role=Role.USER, active=True, text="ja")) == ["jake", "jane"]


async def test_the_operator_may_list_users(app: App, boss: Actor) -> None:
    assert await _names(app, SYSTEM) == ["boss"]


async def test_a_user_may_not(app: App, rob: Actor) -> None:
    with pytest.raises(Forbidden) as raised:
        await list_users(app)(rob, criteria=UserFilter(), page=Page())
    assert raised.value.field == "admin"
