"""CreateAdmin: an administrator account, checked like a registration, not signed in."""

import pytest

from application.use_cases.auth.register import SignedIn
from domain.errors import Conflict, InvalidValue
from domain.users import Role
from tests.builders import PASSWORD, App, an_actor, live_sessions, stored_user


async def test_creates_an_admin(app: App) -> None:
    account = await app.create_admin()(email="Root@Example.com", username="root", password=PASSWORD)
    assert account.role is Role.ADMIN
    assert account.email == "root@example.com"
    user = await stored_user(app, account.user_id)
    assert user.is_admin
    assert user.is_active


async def test_the_admin_can_log_in_and_acts_as_admin(app: App) -> None:
    await app.create_admin()(email="root@example.com", username="root", password=PASSWORD)
    signed_in = await app.log_in()(email="root@example.com", password=PASSWORD)
    assert (await an_actor(app, signed_in.tokens.access_token)).is_admin


async def test_opens_no_session(app: App) -> None:
    await app.create_admin()(email="root@example.com", username="root", password=PASSWORD)
    assert live_sessions(app) == 0


async def test_a_taken_email_conflicts(app: App, jake: SignedIn) -> None:
    with pytest.raises(Conflict) as raised:
        await app.create_admin()(email="JAKE@example.com", username="root", password=PASSWORD)
    assert raised.value.field == "email"


async def test_a_taken_username_conflicts(app: App, jake: SignedIn) -> None:
    with pytest.raises(Conflict) as raised:
        await app.create_admin()(email="root@example.com", username="Jake", password=PASSWORD)
    assert raised.value.field == "username"


async def test_the_password_policy_applies(app: App) -> None:
    with pytest.raises(InvalidValue) as raised:
        await app.create_admin()(email="root@example.com", username="root", password="changeme")
    assert (raised.value.field, raised.value.message) == ("password", "is too common")
    assert app.db.users == {}
