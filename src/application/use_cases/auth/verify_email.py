"""Confirm an e-mail address with the token mailed to it."""

from application.email_tokens import EmailTokens
from application.errors import InvalidEmailToken
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from domain.email_tokens import EmailTokenKind


class VerifyEmail:
    """Raises InvalidEmailToken for a token that is malformed, forged, expired or of another kind, made
    for an address the user no longer has, or already used (the address is verified)."""

    def __init__(self, *, uow: UnitOfWork, tokens: EmailTokens, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    async def __call__(self, *, token: str) -> None:
        claims = self._tokens.check(token, kind=EmailTokenKind.VERIFY_EMAIL)
        async with self._uow as uow:
            user = await uow.users.get(claims.subject, for_change=True)
            if user is None or user.email.value != claims.binding or user.is_verified:
                raise InvalidEmailToken()
            user.verify_email(now=self._clock.now())
            await uow.users.save(user)
            await uow.commit()
