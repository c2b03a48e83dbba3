"""GetCurrentUser: the caller's own account, read fresh."""

import pytest

from application.errors import InvalidToken
from application.use_cases.auth.register import SignedIn
from domain.users import Role
from tests.builders import App, an_actor, change_user, forget_user


async def test_returns_the_callers_account(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    account = await app.get_current_user()(actor)
    assert account == jake.account
    assert (account.email, account.username, account.role) == ("jake@example.com", "jake", Role.USER)


async def test_reflects_committed_changes(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    await change_user(app, jake.account.user_id, lambda user: user.change_role(Role.ADMIN, now=app.clock.now()))
    assert (await app.get_current_user()(actor)).role is Role.ADMIN


async def test_a_deleted_user_is_refused(app: App, jake: SignedIn) -> None:
    actor = await an_actor(app, jake.tokens.access_token)
    forget_user(app, jake.account.user_id)
    with pytest.raises(InvalidToken):
        await app.get_current_user()(actor)
