"""JWT codec on PyJWT: HS256 only, every claim required and checked, one audience per token kind."""

import functools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from application.errors import InvalidToken
from application.ports.clock import Clock
from application.ports.tokens import TokenCodec
from domain.email_tokens import EmailTokenClaims, EmailTokenKind
from domain.ids import SessionId, UserId
from domain.sessions import TokenClaims, TokenKind

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32
REQUIRED = ["exp", "iat", "iss", "aud", "sub", "jti", "type", "sid", "sxp", "cv"]
# Mailed tokens carry no session; `bnd` binds them to an address or to the password they replace.
REQUIRED_EMAIL = ["exp", "iat", "iss", "aud", "sub", "jti", "type", "bnd"]
# Verified session tokens remembered per process (about 1 KB each): a client presents the same access
# token on every request for its lifetime, and checking its signature again would tell nothing new.
VERIFIED_TOKENS_KEPT = 1024


class JwtCodec(TokenCodec):
    """Expiry is judged by the injected clock, with `leeway` for skew between machines."""

    def __init__(self, *, secret: str, issuer: str, clock: Clock, leeway: timedelta = timedelta(seconds=30)) -> None:
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"the JWT secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._issuer = issuer
        self._clock = clock
        self._leeway = leeway
        self._verified_claims = functools.lru_cache(maxsize=VERIFIED_TOKENS_KEPT)(self._claims_of)

    def encode(self, claims: TokenClaims) -> str:
        payload = {
            "iss": self._issuer,
            "aud": self._audience(claims.kind),
            "sub": str(claims.subject),
            "sid": str(claims.session_id),
            "jti": claims.token_id,
            "type": claims.kind.value,
            "iat": _seconds(claims.issued_at),
            "exp": _seconds(claims.expires_at),
            "sxp": _seconds(claims.session_ends_at),
            "cv": claims.credentials_version,
        }
        return jwt.encode(payload, self._secret, algorithm=ALGORITHM)

    def decode(self, token: str, *, kind: TokenKind) -> TokenClaims:
        """Only what never changes for a given token (signature, issuer, audience, claims) is remembered;
        expiry is judged anew on every call, and a token that fails is not remembered at all."""
        claims = self._verified_claims(token, kind)
        self._ensure_unexpired(claims.expires_at)
        return claims

    def _claims_of(self, token: str, kind: TokenKind) -> TokenClaims:
        try:
            claims = _claims(self._verified(token, audience=self._audience(kind), required=REQUIRED))
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as error:
            raise InvalidToken() from error
        if claims.kind is not kind:
            raise InvalidToken()
        return claims

    def encode_email_token(self, claims: EmailTokenClaims) -> str:
        payload = {
            "iss": self._issuer,
            "aud": self._audience(claims.kind),
            "sub": str(claims.subject),
            "jti": claims.token_id,
            "type": claims.kind.value,
            "bnd": claims.binding,
            "iat": _seconds(claims.issued_at),
            "exp": _seconds(claims.expires_at),
        }
        return jwt.encode(payload, self._secret, algorithm=ALGORITHM)

    def decode_email_token(self, token: str, *, kind: EmailTokenKind) -> EmailTokenClaims:
        try:
            claims = _email_claims(self._verified(token, audience=self._audience(kind), required=REQUIRED_EMAIL))
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as error:
            raise InvalidToken() from error
        if claims.kind is not kind:
            raise InvalidToken()
        self._ensure_unexpired(claims.expires_at)
        return claims

    def _verified(self, token: str, *, audience: str, required: list[str]) -> dict[str, Any]:
        payload: dict[str, Any] = jwt.decode(
            token,
            self._secret,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=self._issuer,
            # Time is checked against the injected clock, not the machine's.
            options={"require": required, "verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
        return payload

    def _ensure_unexpired(self, expires_at: datetime) -> None:
        if expires_at + self._leeway <= self._clock.now():
            raise InvalidToken("has expired")

    def _audience(self, kind: TokenKind | EmailTokenKind) -> str:
        return f"{self._issuer}:{kind.value}"


def _claims(payload: dict[str, Any]) -> TokenClaims:
    return TokenClaims(
        subject=UserId(uuid.UUID(_text(payload["sub"]))),
        session_id=SessionId(uuid.UUID(_text(payload["sid"]))),
        token_id=_text(payload["jti"]),
        kind=TokenKind(payload["type"]),
        issued_at=_moment(payload["iat"]),
        expires_at=_moment(payload["exp"]),
        session_ends_at=_moment(payload["sxp"]),
        credentials_version=_count(payload["cv"]),
    )


def _email_claims(payload: dict[str, Any]) -> EmailTokenClaims:
    return EmailTokenClaims(
        subject=UserId(uuid.UUID(_text(payload["sub"]))),
        kind=EmailTokenKind(payload["type"]),
        token_id=_text(payload["jti"]),
        binding=_text(payload["bnd"]),
        issued_at=_moment(payload["iat"]),
        expires_at=_moment(payload["exp"]),
    )


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a non-empty string")
    return value


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("expected a count")
    return value


def _moment(value: object) -> datetime:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("expected whole seconds")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError) as error:
        raise ValueError("time out of range") from error


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())
