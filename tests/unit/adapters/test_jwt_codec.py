"""JwtCodec: HS256 only, every claim required, one audience per kind, expiry judged by the injected clock."""

import uuid
from datetime import timedelta
from typing import Any

import jwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.memory.clock import FixedClock
from adapters.tokens.jwt_codec import REQUIRED, JwtCodec
from application.errors import InvalidToken
from domain.ids import new_session_id, new_token_id, new_user_id
from domain.sessions import TokenClaims, TokenKind
from tests.builders import ISSUER, SECRET

CLOCK = FixedClock()
NOW = CLOCK.now()
CODEC = JwtCodec(secret=SECRET, issuer=ISSUER, clock=CLOCK)


def claims(kind: TokenKind = TokenKind.ACCESS, *, expires_in: timedelta = timedelta(minutes=15)) -> TokenClaims:
    return TokenClaims(
        subject=new_user_id(),
        session_id=new_session_id(),
        token_id=new_token_id(),
        kind=kind,
        issued_at=NOW,
        expires_at=NOW + expires_in,
        session_ends_at=NOW + timedelta(days=30),
        credentials_version=3,
    )


def payload(**changes: Any) -> dict[str, Any]:
    """A well-formed access payload, with `changes` applied; a value of None drops the claim."""
    now = int(NOW.timestamp())
    base = {
        "iss": ISSUER, "aud": f"{ISSUER}:access", "sub": str(uuid.uuid4()), "sid": str(uuid.uuid4()),
        "jti": new_token_id(), "type": "access", "iat": now, "exp": now + 900, "sxp": now + 86_400,
        "cv": 0,
    }
    merged = {**base, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def signed(body: dict[str, Any], *, key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(body, key, algorithm=algorithm)


def codec_at(offset: timedelta) -> JwtCodec:
    return JwtCodec(secret=SECRET, issuer=ISSUER, clock=FixedClock(NOW + offset))


@pytest.mark.parametrize("kind", list(TokenKind))
def test_round_trip(kind: TokenKind) -> None:
    original = claims(kind)
    assert CODEC.decode(CODEC.encode(original), kind=kind) == original


def test_a_well_formed_hand_made_token_is_accepted() -> None:
    assert CODEC.decode(signed(payload()), kind=TokenKind.ACCESS).kind is TokenKind.ACCESS


def test_expired_beyond_the_leeway_is_refused() -> None:
    token = CODEC.encode(claims(expires_in=timedelta(minutes=15)))
    with pytest.raises(InvalidToken):
        codec_at(timedelta(minutes=15, seconds=30)).decode(token, kind=TokenKind.ACCESS)
    with pytest.raises(InvalidToken):
        codec_at(timedelta(days=1)).decode(token, kind=TokenKind.ACCESS)


def test_expired_within_the_leeway_is_accepted() -> None:
    original = claims(expires_in=timedelta(minutes=15))
    token = CODEC.encode(original)
    assert codec_at(timedelta(minutes=15, seconds=29)).decode(token, kind=TokenKind.ACCESS) == original


def test_a_token_accepted_before_still_expires_on_time() -> None:
    clock = FixedClock(NOW)
    codec = JwtCodec(secret=SECRET, issuer=ISSUER, clock=clock)
    token = codec.encode(claims(expires_in=timedelta(minutes=15)))
    assert codec.decode(token, kind=TokenKind.ACCESS).kind is TokenKind.ACCESS
    clock.advance(timedelta(minutes=15, seconds=30))
    with pytest.raises(InvalidToken):
        codec.decode(token, kind=TokenKind.ACCESS)


def test_a_token_accepted_as_one_kind_is_still_refused_as_another() -> None:
    token = CODEC.encode(claims(TokenKind.ACCESS))
    assert CODEC.decode(token, kind=TokenKind.ACCESS).kind is TokenKind.ACCESS
    with pytest.raises(InvalidToken):
        CODEC.decode(token, kind=TokenKind.REFRESH)


@pytest.mark.parametrize(
    ("issued", "expected"), [(TokenKind.REFRESH, TokenKind.ACCESS), (TokenKind.ACCESS, TokenKind.REFRESH)]
)
def test_a_token_of_another_kind_is_refused(issued: TokenKind, expected: TokenKind) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(CODEC.encode(claims(issued)), kind=expected)


def test_the_type_claim_is_checked_even_when_the_audience_matches() -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(signed(payload(type="refresh")), kind=TokenKind.ACCESS)


def test_a_token_of_another_issuer_with_the_same_secret_is_refused() -> None:
    other = JwtCodec(secret=SECRET, issuer="another-service", clock=CLOCK)
    with pytest.raises(InvalidToken):
        CODEC.decode(other.encode(claims()), kind=TokenKind.ACCESS)


@pytest.mark.parametrize("audience", ["inkwell", "inkwell:refresh", "another-service:access"])
def test_a_wrong_audience_is_refused(audience: str) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(signed(payload(aud=audience)), kind=TokenKind.ACCESS)


def test_alg_none_is_refused() -> None:
    token = jwt.encode(payload(), None, algorithm="none")
    with pytest.raises(InvalidToken):
        CODEC.decode(token, kind=TokenKind.ACCESS)


def test_alg_none_with_the_original_signature_kept_is_refused() -> None:
    _, body, signature = signed(payload()).split(".")
    none_header = jwt.encode({}, None, algorithm="none").split(".")[0]
    with pytest.raises(InvalidToken):
        CODEC.decode(f"{none_header}.{body}.{signature}", kind=TokenKind.ACCESS)


@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_other_algorithms_with_the_same_secret_are_refused(algorithm: str) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(signed(payload(), algorithm=algorithm), kind=TokenKind.ACCESS)


def test_another_key_is_refused() -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(signed(payload(), key="another-secret-that-is-long-enough-for-hs256!!"), kind=TokenKind.ACCESS)


def test_a_tampered_payload_is_refused() -> None:
    header, _, signature = CODEC.encode(claims()).split(".")
    forged_body = signed(payload()).split(".")[1]
    with pytest.raises(InvalidToken):
        CODEC.decode(f"{header}.{forged_body}.{signature}", kind=TokenKind.ACCESS)


@pytest.mark.parametrize("missing", REQUIRED)
def test_each_required_claim_is_required(missing: str) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(signed(payload(**{missing: None})), kind=TokenKind.ACCESS)


@pytest.mark.parametrize(
    "changes",
    [
        {"sub": "not-a-uuid"},
        {"sid": "not-a-uuid"},
        {"sid": ""},
        {"jti": ""},
        {"type": "verify-email"},
        {"exp": "soon"},
        {"exp": 1.5e9},
        {"iat": True},
        {"sxp": [1]},
        {"cv": -1},
        {"cv": "0"},
        {"cv": True},
    ],
)
def test_malformed_claims_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(signed(payload(**changes)), kind=TokenKind.ACCESS)


@pytest.mark.parametrize("sid", [5, ["a"], {"a": 1}])
def test_a_non_string_session_id_is_refused(sid: object) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(signed(payload(sid=sid)), kind=TokenKind.ACCESS)


@pytest.mark.parametrize("claim", ["exp", "iat", "sxp"])
def test_an_out_of_range_time_is_refused(claim: str) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(signed(payload(**{claim: 10**20})), kind=TokenKind.ACCESS)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b", "a.b.c", "...", "é.é.é", "\ud800.x.y"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode(garbage, kind=TokenKind.ACCESS)


@pytest.mark.parametrize("secret", ["", "s" * 31, "é" * 15])
def test_a_secret_shorter_than_32_bytes_is_refused(secret: str) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        JwtCodec(secret=secret, issuer=ISSUER, clock=CLOCK)


@pytest.mark.parametrize("secret", ["s" * 32, "é" * 16])
def test_a_secret_of_32_bytes_is_accepted(secret: str) -> None:
    codec = JwtCodec(secret=secret, issuer=ISSUER, clock=CLOCK)
    original = claims()
    assert codec.decode(codec.encode(original), kind=TokenKind.ACCESS) == original


ORIGINAL = claims()
TOKEN = CODEC.encode(ORIGINAL)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(TOKEN) - 1), st.characters(codec=None))
def test_any_one_character_change_is_refused_or_changes_nothing(position: int, replacement: str) -> None:
    changed = TOKEN[:position] + replacement + TOKEN[position + 1 :]
    if changed == TOKEN:
        return
    try:
        decoded = CODEC.decode(changed, kind=TokenKind.ACCESS)
    except InvalidToken:
        return
    # Only the unused low bits of the signature's last base64 character can change without effect.
    assert decoded == ORIGINAL


@settings(max_examples=300)
@given(
    st.integers(min_value=0, max_value=len(TOKEN) - 1),
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
)
def test_any_base64_character_swap_is_refused_or_changes_nothing(position: int, replacement: str) -> None:
    changed = TOKEN[:position] + replacement + TOKEN[position + 1 :]
    try:
        decoded = CODEC.decode(changed, kind=TokenKind.ACCESS)
    except InvalidToken:
        return
    assert position == len(TOKEN) - 1 or changed == TOKEN
    assert decoded == ORIGINAL
