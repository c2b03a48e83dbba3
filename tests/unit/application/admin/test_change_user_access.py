"""ChangeUserAccess: promote, demote, deactivate and reactivate; sessions end at once; an active
administrator always remains; each change is in the audit log."""

import pytest
from dependency_injector import providers

from application.actor import SYSTEM, Actor
from application.errors import InvalidCredentials, InvalidToken
from application.use_cases.auth.register import SignedIn
from domain.audit import AuditAction
from domain.errors import Conflict, Forbidden, NotFound
from domain.users import LAST_ADMIN, Role
from tests.builders import PASSWORD, App, a_user, an_actor, stored_user
from tests.doubles import UnreachableTokenStore
from tests.unit.application.admin.support import audited, change_access, sessions_of


async def _refused(app: App, signed_in: SignedIn) -> None:
    with pytest.raises(InvalidToken):
        await an_actor(app, signed_in.tokens.access_token)
    with pytest.raises(InvalidToken):
        await app.refresh()(refresh_token=signed_in.tokens.refresh_token)


async def test_promotes_a_user(app: App, boss: Actor, jake: SignedIn) -> None:
    view = await change_access(app)(boss, username="jake", role=Role.ADMIN)
    assert (view.username, view.role, view.is_active) == ("jake", Role.ADMIN, True)
    assert (await an_actor(app, jake.tokens.access_token)).is_admin  # read fresh: no new token needed


async def test_demoting_ends_every_session_at_once(app: App, boss: Actor, jake: SignedIn) -> None:
    await change_access(app)(boss, username="jake", role=Role.ADMIN)
    laptop = await app.log_in()(email="jake@example.com", password=PASSWORD)
    view = await change_access(app)(boss, username="JAKE", role=Role.USER)
    assert view.role is Role.USER
    for signed_in in (jake, laptop):
        await _refused(app, signed_in)
    assert sessions_of(app, jake.account.user_id) == 0
    again = await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert not (await an_actor(app, again.tokens.access_token)).is_admin


async def test_deactivating_ends_every_session_and_refuses_log_in(app: App, boss: Actor, jake: SignedIn) -> None:
    view = await change_access(app)(boss, username="jake", active=False)
    assert not view.is_active
    await _refused(app, jake)
    assert sessions_of(app, jake.account.user_id) == 0
    with pytest.raises(InvalidCredentials):
        await app.log_in()(email="jake@example.com", password=PASSWORD)


async def test_reactivating_lets_the_user_sign_in_again_but_revives_no_session(
    app: App, boss: Actor, jake: SignedIn
) -> None:
    await change_access(app)(boss, username="jake", active=False)
    view = await change_access(app)(boss, username="jake", active=True)
    assert view.is_active
    await _refused(app, jake)
    again = await app.log_in()(email="jake@example.com", password=PASSWORD)
    assert (await an_actor(app, again.tokens.access_token)).user_id == jake.account.user_id


async def test_role_and_active_flag_change_together(app: App, boss: Actor, jake: SignedIn) -> None:
    view = await change_access(app)(boss, username="jake", role=Role.ADMIN, active=False)
    assert (view.role, view.is_active) == (Role.ADMIN, False)
    assert [entry.action for entry in await audited(app)][:2] == [
        AuditAction.USER_DEACTIVATED, AuditAction.ROLE_CHANGED,
    ]


async def test_nothing_asked_changes_nothing_and_records_nothing(app: App, boss: Actor, jake: SignedIn) -> None:
    before = await stored_user(app, jake.account.user_id)
    view = await change_access(app)(boss, username="jake", role=Role.USER, active=True)
    assert (view.role, view.is_active) == (Role.USER, True)
    after = await stored_user(app, jake.account.user_id)
    assert (after.updated_at, after.credentials_version) == (before.updated_at, before.credentials_version)
    assert await audited(app, AuditAction.ROLE_CHANGED) == []
    assert await an_actor(app, jake.tokens.access_token)


async def test_each_change_is_audited_with_who_did_it_to_whom(app: App, boss: Actor, jake: SignedIn) -> None:
    await change_access(app)(boss, username="jake", role=Role.ADMIN)
    await change_access(app)(boss, username="jake", active=False)
    await change_access(app)(boss, username="jake", active=True)
    entries = await audited(app)
    assert [(e.action, e.actor_id, e.target_id, e.target) for e in entries[:3]] == [
        (AuditAction.USER_ACTIVATED, boss.user_id, jake.account.user_id, "jake"),
        (AuditAction.USER_DEACTIVATED, boss.user_id, jake.account.user_id, "jake"),
        (AuditAction.ROLE_CHANGED, boss.user_id, jake.account.user_id, "jake"),
    ]
    assert entries[2].details == {"from": "user", "to": "admin"}


@pytest.mark.parametrize("change", [{"role": Role.USER}, {"active": False}])
async def test_the_last_active_admin_cannot_be_demoted_or_deactivated(
    app: App, boss: Actor, change: dict[str, object]
) -> None:
    signed_in = await app.log_in()(email="boss@example.com", password=PASSWORD)
    with pytest.raises(Conflict) as raised:
        await change_access(app)(boss, username="boss", **change)  # type: ignore[arg-type]
    assert (raised.value.field, raised.value.message) == ("user", LAST_ADMIN)
    user = await stored_user(app, boss.user_id)
    assert user.is_active_admin and user.credentials_version == 0
    assert (await an_actor(app, signed_in.tokens.access_token)).is_admin
    assert await audited(app, AuditAction.ROLE_CHANGED) == []


async def test_an_admin_may_step_down_while_another_remains(app: App, boss: Actor, jake: SignedIn) -> None:
    await change_access(app)(boss, username="jake", role=Role.ADMIN)
    signed_in = await app.log_in()(email="boss@example.com", password=PASSWORD)
    view = await change_access(app)(await an_actor(app, signed_in.tokens.access_token), username="boss",
                                    role=Role.USER)
    assert view.role is Role.USER
    await _refused(app, signed_in)
    jake_as_admin = await an_actor(app, jake.tokens.access_token)
    with pytest.raises(Conflict):
        await change_access(app)(jake_as_admin, username="jake", active=False)


async def test_the_operator_is_held_to_the_last_admin_rule_too(app: App, boss: Actor) -> None:
    with pytest.raises(Conflict):
        await change_access(app)(SYSTEM, username="boss", role=Role.USER)
    view = await change_access(app)(SYSTEM, username="boss", role=Role.ADMIN)
    assert view.role is Role.ADMIN
    await a_user(app)
    await change_access(app)(SYSTEM, username="jake", role=Role.ADMIN)
    [entry] = await audited(app, AuditAction.ROLE_CHANGED)
    assert (entry.actor_id, entry.target) == (None, "jake")


async def test_an_unknown_or_impossible_username_is_not_found(app: App, boss: Actor) -> None:
    for name in ("nobody", "no such name!", ""):
        with pytest.raises(NotFound) as raised:
            await change_access(app)(boss, username=name, role=Role.ADMIN)
        assert raised.value.field == "user"


async def test_a_user_may_not_change_anyone(app: App, rob: Actor, jake: SignedIn) -> None:
    for target in ("jake", "rob"):
        with pytest.raises(Forbidden):
            await change_access(app)(rob, username=target, role=Role.ADMIN)
    assert (await stored_user(app, rob.user_id)).role is Role.USER


async def test_a_token_store_that_is_down_does_not_undo_the_deactivation(
    app: App, boss: Actor, jake: SignedIn
) -> None:
    app.container.tokens.store.override(providers.Object(UnreachableTokenStore()))
    try:
        view = await change_access(app)(boss, username="jake", active=False)
    finally:
        app.container.tokens.store.reset_last_overriding()
    assert not view.is_active
    await _refused(app, jake)  # the credentials version refuses the tokens the store still holds
