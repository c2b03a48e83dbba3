"""Issuing and checking the tokens mailed to users: address verification and password reset."""

from application.errors import InvalidEmailToken, InvalidToken
from application.ports.clock import Clock
from application.ports.tokens import TokenCodec
from domain.email_tokens import EmailTokenClaims, EmailTokenKind, EmailTokenPolicy
from domain.ids import new_token_id
from domain.sessions import whole_second
from domain.users import User


class EmailTokens:
    def __init__(self, *, codec: TokenCodec, clock: Clock, policy: EmailTokenPolicy) -> None:
        self._codec = codec
        self._clock = clock
        self._policy = policy

    def verify_email(self, user: User) -> str:
        return self._issue(user, EmailTokenKind.VERIFY_EMAIL, binding=user.email.value)

    def reset_password(self, user: User) -> str:
        return self._issue(user, EmailTokenKind.RESET_PASSWORD, binding=user.credentials_stamp)

    def check(self, token: str, *, kind: EmailTokenKind) -> EmailTokenClaims:
        """The claims of a genuine, unexpired token of `kind`. Raises InvalidEmailToken otherwise; whether
        it is still good for its user is for the caller to judge against the binding."""
        try:
            return self._codec.decode_email_token(token, kind=kind)
        except InvalidToken as error:
            raise InvalidEmailToken() from error

    def _issue(self, user: User, kind: EmailTokenKind, *, binding: str) -> str:
        now = whole_second(self._clock.now())
        claims = EmailTokenClaims(
            subject=user.id, kind=kind, token_id=new_token_id(), binding=binding,
            issued_at=now, expires_at=self._policy.expiry(kind, now=now),
        )
        return self._codec.encode_email_token(claims)
