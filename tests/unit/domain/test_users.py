"""User: registration, email and password changes, deactivation, and which session tokens it accepts."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import Conflict
from domain.events import EmailChanged, PasswordChanged, UserRegistered, VerificationRequested
from domain.ids import new_session_id
from domain.users import Email, Role, User, Username

NOW = datetime(2026, 3, 1, 9, 30, 15, 250_000, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def a_user() -> User:
    return User.register(email=Email("jake@example.com"), username=Username("jake"), password_hash="old-hash", now=NOW)


def test_register_makes_an_active_unverified_user() -> None:
    user = a_user()
    assert user.role is Role.USER
    assert user.is_active
    assert user.email_verified_at is None
    assert user.created_at == user.updated_at == NOW


def test_register_records_user_registered() -> None:
    user = a_user()
    assert user.events == [UserRegistered(user.id, "jake@example.com")]


def test_register_cuts_off_at_the_whole_second() -> None:
    assert a_user().credentials_version == 0


def test_users_are_equal_by_id_only() -> None:
    first, second = a_user(), a_user()
    assert first != second
    first.username = Username("someone-else")
    assert first == first
    assert len({first, first}) == 1


def test_change_email_resets_verification() -> None:
    user = a_user()
    user.email_verified_at = NOW
    user.events.clear()
    user.change_email(Email("New@Example.com"), now=LATER)
    assert user.email == Email("new@example.com")
    assert user.email_verified_at is None
    assert user.updated_at == LATER
    assert user.events == [EmailChanged(user.id, "new@example.com")]


def test_change_to_the_same_email_in_another_case_changes_nothing() -> None:
    user = a_user()
    user.email_verified_at = NOW
    user.events.clear()
    user.change_email(Email("JAKE@example.com"), now=LATER)
    assert user.email_verified_at == NOW
    assert user.updated_at == NOW
    assert user.events == []


def test_change_username() -> None:
    user = a_user()
    user.change_username(Username("Jacob"), now=LATER)
    assert user.username == Username("Jacob")
    assert user.updated_at == LATER


def test_change_password_ends_earlier_sessions_except_the_one_kept() -> None:
    user = a_user()
    kept, other = new_session_id(), new_session_id()
    user.events.clear()
    user.change_password("new-hash", now=LATER, keep=kept)
    assert user.password_hash == "new-hash"
    assert user.credentials_version == 1
    assert user.kept_session_id == kept
    assert user.events == [PasswordChanged(user.id)]
    assert user.accepts_session_token(credentials_version=0, session_id=kept)
    assert not user.accepts_session_token(credentials_version=0, session_id=other)
    assert user.accepts_session_token(credentials_version=1, session_id=other)


def test_a_session_opened_from_the_old_credentials_is_refused_however_late_it_was_opened() -> None:
    user = a_user()
    read_before_the_change = user.credentials_version
    user.revoke_sessions()
    # Whenever the log-in that read the old credentials opens its session, its tokens carry the old version.
    assert not user.accepts_session_token(credentials_version=read_before_the_change, session_id=new_session_id())
    assert user.accepts_session_token(credentials_version=user.credentials_version, session_id=new_session_id())


def test_a_later_revocation_forgets_the_kept_session() -> None:
    user = a_user()
    kept = new_session_id()
    user.change_password("new-hash", now=LATER, keep=kept)
    user.revoke_sessions()
    assert user.kept_session_id is None
    assert not user.accepts_session_token(credentials_version=0, session_id=kept)


def test_deactivate_refuses_every_token() -> None:
    user = a_user()
    session = new_session_id()
    user.deactivate(now=LATER)
    assert not user.is_active
    assert user.updated_at == LATER
    assert not user.accepts_session_token(credentials_version=user.credentials_version, session_id=session)
    assert user.credentials_version == 1


def test_change_role() -> None:
    user = a_user()
    user.change_role(Role.ADMIN, now=LATER)
    assert user.is_admin
    assert user.updated_at == LATER


def test_pulling_events_empties_them() -> None:
    user = a_user()
    assert user.pull_events() == [UserRegistered(user.id, "jake@example.com")]
    assert user.pull_events() == []


def test_verify_email_marks_the_address_verified() -> None:
    user = a_user()
    user.verify_email(now=LATER)
    assert user.is_verified and user.email_verified_at == LATER and user.updated_at == LATER


def test_request_verification_records_the_address_to_confirm() -> None:
    user = a_user()
    user.events.clear()
    user.request_verification()
    assert user.events == [VerificationRequested(user.id, "jake@example.com")]


def test_a_verified_address_needs_no_verification() -> None:
    user = a_user()
    user.verify_email(now=LATER)
    with pytest.raises(Conflict) as raised:
        user.request_verification()
    assert (raised.value.field, raised.value.message) == ("email", "is already verified")


def test_the_credentials_stamp_changes_with_the_password_only() -> None:
    user = a_user()
    stamp = user.credentials_stamp
    user.change_email(Email("other@example.com"), now=LATER)
    assert user.credentials_stamp == stamp
    user.change_password("new-hash", now=LATER, keep=None)
    assert user.credentials_stamp != stamp
    assert "new-hash" not in user.credentials_stamp
