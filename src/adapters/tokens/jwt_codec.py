"""JWT codec on PyJWT: HS256 only, every claim required and checked, one audience per token kind."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from application.errors import InvalidToken
from application.ports.clock import Clock
from application.ports.tokens import TokenCodec
from domain.ids import SessionId, UserId
from domain.sessions import TokenClaims, TokenKind

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32
REQUIRED = ["exp", "iat", "iss", "aud", "sub", "jti", "type", "sid", "sxp"]


class JwtCodec(TokenCodec):
    """Expiry is judged by the injected clock, with `leeway` for skew between machines."""

    def __init__(self, *, secret: str, issuer: str, clock: Clock, leeway: timedelta = timedelta(seconds=30)) -> None:
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"the JWT secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._issuer = issuer
        self._clock = clock
        self._leeway = leeway

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
        }
        return jwt.encode(payload, self._secret, algorithm=ALGORITHM)

    def decode(self, token: str, *, kind: TokenKind) -> TokenClaims:
        try:
            payload = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                audience=self._audience(kind),
                issuer=self._issuer,
                # Time is checked below against the injected clock, not the machine's.
                options={"require": REQUIRED, "verify_exp": False, "verify_iat": False, "verify_nbf": False},
            )
            claims = _claims(payload)
        except (jwt.PyJWTError, ValueError, TypeError, KeyError) as error:
            raise InvalidToken() from error
        if claims.kind is not kind:
            raise InvalidToken()
        if claims.expires_at + self._leeway <= self._clock.now():
            raise InvalidToken("has expired")
        return claims

    def _audience(self, kind: TokenKind) -> str:
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
    )


def _text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a non-empty string")
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
