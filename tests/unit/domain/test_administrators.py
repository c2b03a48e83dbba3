"""Administering users: demotion and deactivation end sessions, reactivation does not revive them, and
the last active administrator cannot be taken away."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import Conflict
from domain.ids import UserId, new_session_id
from domain.users import LAST_ADMIN, Email, Role, User, Username, ensure_an_admin_remains

NOW = datetime(2026, 3, 1, 9, 30, 15, 250_000, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def a_user(name: str = "jake", role: Role = Role.USER) -> User:
    return User.register(email=Email(f"{name}@example.com"), username=Username(name), password_hash="hash", now=NOW,
                         role=role)


def test_a_demotion_ends_every_session() -> None:
    admin = a_user(role=Role.ADMIN)
    session = new_session_id()
    admin.change_role(Role.USER, now=LATER)
    assert (admin.role, admin.updated_at, admin.credentials_version) == (Role.USER, LATER, 1)
    assert not admin.accepts_session_token(credentials_version=0, session_id=session)


def test_a_promotion_keeps_the_sessions() -> None:
    user = a_user()
    user.change_role(Role.ADMIN, now=LATER)
    assert (user.role, user.credentials_version) == (Role.ADMIN, 0)


def test_the_same_role_again_changes_nothing() -> None:
    admin = a_user(role=Role.ADMIN)
    admin.change_role(Role.ADMIN, now=LATER)
    assert (admin.updated_at, admin.credentials_version) == (NOW, 0)


def test_reactivation_lets_the_user_in_but_not_the_old_sessions() -> None:
    user = a_user()
    session = new_session_id()
    user.deactivate(now=NOW)
    user.activate(now=LATER)
    assert user.is_active and user.updated_at == LATER
    assert not user.accepts_session_token(credentials_version=0, session_id=session)
    assert user.accepts_session_token(credentials_version=user.credentials_version, session_id=new_session_id())


def test_only_an_active_admin_is_an_active_admin() -> None:
    admin, user = a_user("boss", Role.ADMIN), a_user()
    assert admin.is_active_admin and not user.is_active_admin
    admin.deactivate(now=LATER)
    assert not admin.is_active_admin


def _demoted(user: User) -> User:
    user.change_role(Role.USER, now=LATER)
    return user


def _deactivated(user: User) -> User:
    user.deactivate(now=LATER)
    return user


@pytest.mark.parametrize("take_away", [_demoted, _deactivated])
def test_the_last_active_admin_cannot_be_taken_away(take_away: Callable[[User], User]) -> None:
    admin = a_user("boss", Role.ADMIN)
    before = {admin.id}
    with pytest.raises(Conflict) as raised:
        ensure_an_admin_remains(take_away(admin), active_admins_before=before)
    assert (raised.value.field, raised.value.message) == ("user", LAST_ADMIN)


def test_an_admin_may_go_while_another_remains() -> None:
    boss, deputy = a_user("boss", Role.ADMIN), a_user("deputy", Role.ADMIN)
    ensure_an_admin_remains(_demoted(boss), active_admins_before={boss.id, deputy.id})


def test_changes_to_users_who_were_not_active_admins_are_never_refused() -> None:
    nobody_left: set[UserId] = set()
    ensure_an_admin_remains(_deactivated(a_user()), active_admins_before=nobody_left)
    inactive_admin = _deactivated(a_user("old", Role.ADMIN))
    ensure_an_admin_remains(_demoted(inactive_admin), active_admins_before=nobody_left)


def test_an_admin_who_stays_one_is_never_refused() -> None:
    admin = a_user("boss", Role.ADMIN)
    ensure_an_admin_remains(admin, active_admins_before={admin.id})
