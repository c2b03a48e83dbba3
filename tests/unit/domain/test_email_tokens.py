"""EmailTokenPolicy: each kind of mailed token lives for its own, positive, time."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.email_tokens import EmailTokenKind, EmailTokenPolicy
from domain.errors import InvalidValue

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def test_by_default_a_verification_lasts_a_day_and_a_reset_an_hour() -> None:
    policy = EmailTokenPolicy()
    assert policy.expiry(EmailTokenKind.VERIFY_EMAIL, now=NOW) == NOW + timedelta(hours=24)
    assert policy.expiry(EmailTokenKind.RESET_PASSWORD, now=NOW) == NOW + timedelta(hours=1)


def test_each_kind_takes_its_own_lifetime() -> None:
    policy = EmailTokenPolicy(verify_email_ttl=timedelta(minutes=7), reset_password_ttl=timedelta(minutes=3))
    assert policy.expiry(EmailTokenKind.VERIFY_EMAIL, now=NOW) == NOW + timedelta(minutes=7)
    assert policy.expiry(EmailTokenKind.RESET_PASSWORD, now=NOW) == NOW + timedelta(minutes=3)


@pytest.mark.parametrize("ttl", [timedelta(0), timedelta(seconds=-1), timedelta(days=-1)])
@pytest.mark.parametrize("kind", ["verify_email_ttl", "reset_password_ttl"])
def test_a_lifetime_that_is_not_positive_is_refused(kind: str, ttl: timedelta) -> None:
    with pytest.raises(InvalidValue) as raised:
        EmailTokenPolicy(**{kind: ttl})  # type: ignore[arg-type]
    assert raised.value.field == "email_tokens"
    assert raised.value.message == "token lifetimes must be positive"
