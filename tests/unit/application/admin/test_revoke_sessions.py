"""RevokeSessions: an administrator ends every session of a user, who may sign in again."""

import pytest

from application.actor import SYSTEM, Actor
from application.errors import InvalidToken
from application.use_cases.auth.register import SignedIn
from domain.audit import AuditAction
from domain.errors import Forbidden, NotFound
from tests.builders import PASSWORD, App, a_user, an_actor, stored_user
from tests.unit.application.admin.support import audited, revoke_sessions, sessions_of


async def test_every_session_of_the_user_ends_and_no_other(app: App, boss: Actor, jake: SignedIn) -> None:
    laptop = await app.log_in()(email="jake@example.com", password=PASSWORD)
    jane = await a_user(app, email="jane@example.com", username="jane")
    await revoke_sessions(app)(boss, username="Jake")
    for signed_in in (jake, laptop):
        with pytest.raises(InvalidToken):
            await an_actor(app, signed_in.tokens.access_token)
        with pytest.raises(InvalidToken):
            await app.refresh()(refresh_token=signed_in.tokens.refresh_token)
    assert sessions_of(app, jake.account.user_id) == 0
    assert (await an_actor(app, jane.tokens.access_token)).user_id == jane.account.user_id
    user = await stored_user(app, jake.account.user_id)
    assert user.is_active and user.credentials_version == 1


async def test_the_user_may_sign_in_again(app: App, boss: Actor, jake: SignedIn) -> None:
    await revoke_sessions(app)(boss, username="jake")
    again = await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert (await an_actor(app, again.tokens.access_token)).user_id == jake.account.user_id


async def test_is_audited(app: App, boss: Actor, jake: SignedIn) -> None:
    await revoke_sessions(app)(boss, username="jake")
    await revoke_sessions(app)(SYSTEM, username="jake")
    entries = await audited(app, AuditAction.SESSIONS_REVOKED)
    assert [(e.actor_id, e.target_id, e.target) for e in entries] == [
        (None, jake.account.user_id, "jake"), (boss.user_id, jake.account.user_id, "jake"),
    ]


async def test_an_unknown_user_is_not_found(app: App, boss: Actor) -> None:
    with pytest.raises(NotFound) as raised:
        await revoke_sessions(app)(boss, username="nobody")
    assert raised.value.field == "user"
    assert await audited(app, AuditAction.SESSIONS_REVOKED) == []


async def test_a_user_may_not_revoke_anyones_sessions(app: App, rob: Actor, jake: SignedIn) -> None:
    with pytest.raises(Forbidden):
        await revoke_sessions(app)(rob, username="jake")
    assert await an_actor(app, jake.tokens.access_token)
