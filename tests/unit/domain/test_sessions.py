"""SessionPolicy: token lifetimes that never outlive their session; TokenClaims.remaining."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidValue
from domain.ids import SessionId, UserId
from domain.sessions import SessionPolicy, TokenClaims, TokenKind

START = datetime(2026, 1, 1, tzinfo=UTC)
POLICY = SessionPolicy()


def test_defaults() -> None:
    assert (POLICY.access_ttl, POLICY.refresh_ttl, POLICY.max_session_age) == (
        timedelta(minutes=15), timedelta(days=7), timedelta(days=30)
    )


def test_session_ends_after_its_maximum_age() -> None:
    assert POLICY.session_end(START) == START + timedelta(days=30)


def test_expiries_follow_the_ttls_early_in_a_session() -> None:
    ends = POLICY.session_end(START)
    assert POLICY.access_expiry(now=START, session_ends_at=ends) == START + timedelta(minutes=15)
    assert POLICY.refresh_expiry(now=START, session_ends_at=ends) == START + timedelta(days=7)


def test_expiries_never_exceed_the_session_end() -> None:
    ends = POLICY.session_end(START)
    late = ends - timedelta(minutes=5)
    assert POLICY.access_expiry(now=late, session_ends_at=ends) == ends
    assert POLICY.refresh_expiry(now=late, session_ends_at=ends) == ends


@pytest.mark.parametrize(
    ("access", "refresh", "age"),
    [
        (timedelta(0), timedelta(days=1), timedelta(days=2)),
        (timedelta(minutes=1), timedelta(0), timedelta(days=2)),
        (timedelta(seconds=-1), timedelta(days=1), timedelta(days=2)),
        (timedelta(minutes=1), timedelta(days=2), timedelta(days=1)),
    ],
)
def test_nonsensical_lifetimes_are_refused(access: timedelta, refresh: timedelta, age: timedelta) -> None:
    with pytest.raises(InvalidValue) as raised:
        SessionPolicy(access_ttl=access, refresh_ttl=refresh, max_session_age=age)
    assert raised.value.field == "session"


def test_remaining_lifetime_is_never_negative() -> None:
    claims = TokenClaims(
        subject=UserId(uuid.uuid4()), session_id=SessionId(uuid.uuid4()), token_id="t", kind=TokenKind.ACCESS,
        issued_at=START, expires_at=START + timedelta(minutes=15), session_ends_at=START + timedelta(days=30),
        credentials_version=0,
    )
    assert claims.remaining(START) == timedelta(minutes=15)
    assert claims.remaining(START + timedelta(hours=1)) == timedelta(0)


POSITIVE = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=400))


@st.composite
def policies(draw: st.DrawFn) -> SessionPolicy:
    refresh = draw(POSITIVE)
    extra = draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)))
    return SessionPolicy(access_ttl=draw(POSITIVE), refresh_ttl=refresh, max_session_age=refresh + extra)


@given(
    policies(),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=900)),
)
def test_token_lifetimes_stay_within_their_session(policy: SessionPolicy, started: datetime, age: timedelta) -> None:
    now = started + age
    ends = policy.session_end(started)
    access = policy.access_expiry(now=now, session_ends_at=ends)
    refresh = policy.refresh_expiry(now=now, session_ends_at=ends)
    assert access <= ends
    assert refresh <= ends
    if now < ends:
        assert access > now
        assert refresh > now
