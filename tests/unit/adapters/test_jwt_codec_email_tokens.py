"""JwtCodec, mailed tokens: one audience per kind, bound to `bnd`, never mistaken for a session token."""

import uuid
from datetime import timedelta
from typing import Any

import jwt
import pytest

from adapters.memory.clock import FixedClock
from adapters.tokens.jwt_codec import REQUIRED_EMAIL, JwtCodec
from application.errors import InvalidToken
from domain.email_tokens import EmailTokenClaims, EmailTokenKind
from domain.ids import new_session_id, new_token_id, new_user_id
from domain.sessions import TokenClaims, TokenKind
from tests.builders import ISSUER, SECRET

CLOCK = FixedClock()
NOW = CLOCK.now()
CODEC = JwtCodec(secret=SECRET, issuer=ISSUER, clock=CLOCK)
OTHER_KIND = {
    EmailTokenKind.VERIFY_EMAIL: EmailTokenKind.RESET_PASSWORD,
    EmailTokenKind.RESET_PASSWORD: EmailTokenKind.VERIFY_EMAIL,
}


def email_claims(
    kind: EmailTokenKind = EmailTokenKind.VERIFY_EMAIL, *, expires_in: timedelta = timedelta(hours=1)
) -> EmailTokenClaims:
    return EmailTokenClaims(
        subject=new_user_id(), kind=kind, token_id=new_token_id(), binding="jake@example.com",
        issued_at=NOW, expires_at=NOW + expires_in,
    )


def session_claims(kind: TokenKind) -> TokenClaims:
    return TokenClaims(
        subject=new_user_id(), session_id=new_session_id(), token_id=new_token_id(), kind=kind,
        issued_at=NOW, expires_at=NOW + timedelta(minutes=15), session_ends_at=NOW + timedelta(days=30),
        credentials_version=0,
    )


def payload(kind: EmailTokenKind = EmailTokenKind.VERIFY_EMAIL, /, **changes: Any) -> dict[str, Any]:
    """A well-formed payload of a mailed token, with `changes` applied; a value of None drops the claim."""
    now = int(NOW.timestamp())
    base = {
        "iss": ISSUER, "aud": f"{ISSUER}:{kind.value}", "sub": str(uuid.uuid4()), "jti": new_token_id(),
        "type": kind.value, "bnd": "jake@example.com", "iat": now, "exp": now + 3600,
    }
    merged = {**base, **changes}
    return {key: value for key, value in merged.items() if value is not None}


def signed(body: dict[str, Any]) -> str:
    return jwt.encode(body, SECRET, algorithm="HS256")


def codec_at(offset: timedelta) -> JwtCodec:
    return JwtCodec(secret=SECRET, issuer=ISSUER, clock=FixedClock(NOW + offset))


@pytest.mark.parametrize("kind", list(EmailTokenKind))
def test_round_trip(kind: EmailTokenKind) -> None:
    original = email_claims(kind)
    assert CODEC.decode_email_token(CODEC.encode_email_token(original), kind=kind) == original


def test_a_well_formed_hand_made_token_is_accepted() -> None:
    claims = CODEC.decode_email_token(signed(payload()), kind=EmailTokenKind.VERIFY_EMAIL)
    assert claims.binding == "jake@example.com"


@pytest.mark.parametrize("kind", list(EmailTokenKind))
def test_a_token_of_the_other_mailed_kind_is_refused(kind: EmailTokenKind) -> None:
    token = CODEC.encode_email_token(email_claims(kind))
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(token, kind=OTHER_KIND[kind])


def test_the_type_claim_is_checked_even_when_the_audience_matches() -> None:
    token = signed(payload(EmailTokenKind.VERIFY_EMAIL, type=EmailTokenKind.RESET_PASSWORD.value))
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(token, kind=EmailTokenKind.VERIFY_EMAIL)


@pytest.mark.parametrize("mailed", list(EmailTokenKind))
@pytest.mark.parametrize("session", list(TokenKind))
def test_a_mailed_token_is_no_session_token(mailed: EmailTokenKind, session: TokenKind) -> None:
    token = CODEC.encode_email_token(email_claims(mailed))
    with pytest.raises(InvalidToken):
        CODEC.decode(token, kind=session)


@pytest.mark.parametrize("mailed", list(EmailTokenKind))
@pytest.mark.parametrize("session", list(TokenKind))
def test_a_session_token_is_no_mailed_token(mailed: EmailTokenKind, session: TokenKind) -> None:
    token = CODEC.encode(session_claims(session))
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(token, kind=mailed)


def test_a_session_token_dressed_as_a_mailed_one_is_refused_without_a_binding() -> None:
    body = payload(sid=str(uuid.uuid4()), sxp=int(NOW.timestamp()) + 86_400, bnd=None)
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(signed(body), kind=EmailTokenKind.VERIFY_EMAIL)


def test_expired_beyond_the_leeway_is_refused() -> None:
    token = CODEC.encode_email_token(email_claims(expires_in=timedelta(hours=1)))
    with pytest.raises(InvalidToken):
        codec_at(timedelta(hours=1, seconds=30)).decode_email_token(token, kind=EmailTokenKind.VERIFY_EMAIL)
    with pytest.raises(InvalidToken):
        codec_at(timedelta(days=2)).decode_email_token(token, kind=EmailTokenKind.VERIFY_EMAIL)


def test_expired_within_the_leeway_is_accepted() -> None:
    original = email_claims(expires_in=timedelta(hours=1))
    token = CODEC.encode_email_token(original)
    later = codec_at(timedelta(hours=1, seconds=29))
    assert later.decode_email_token(token, kind=EmailTokenKind.VERIFY_EMAIL) == original


def test_a_tampered_payload_is_refused() -> None:
    header, _, signature = CODEC.encode_email_token(email_claims()).split(".")
    forged_body = signed(payload(bnd="mallory@example.com")).split(".")[1]
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(f"{header}.{forged_body}.{signature}", kind=EmailTokenKind.VERIFY_EMAIL)


def test_another_key_is_refused() -> None:
    token = jwt.encode(payload(), "another-secret-that-is-long-enough-for-hs256!!", algorithm="HS256")
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(token, kind=EmailTokenKind.VERIFY_EMAIL)


@pytest.mark.parametrize("missing", REQUIRED_EMAIL)
def test_each_required_claim_is_required(missing: str) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(signed(payload(**{missing: None})), kind=EmailTokenKind.VERIFY_EMAIL)


@pytest.mark.parametrize("binding", ["", 5, ["jake@example.com"]])
def test_a_binding_that_is_not_a_non_empty_string_is_refused(binding: object) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(signed(payload(bnd=binding)), kind=EmailTokenKind.VERIFY_EMAIL)


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c"])
def test_garbage_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidToken):
        CODEC.decode_email_token(garbage, kind=EmailTokenKind.RESET_PASSWORD)
