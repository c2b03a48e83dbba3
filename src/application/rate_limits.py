"""Which attempts are rate-limited, and on what: the one place that says so.

Each rule is counted on every key it names, and an attempt over any of them is refused. Every attempt
counts, successful or not, and an unknown account counts exactly like a known one, so a refusal says
nothing about which accounts exist. The client's address comes from the HTTP layer (through proxies
it trusts); outside a request there is none, and only the other keys count.
"""

from enum import StrEnum

from application.ports.rate_limits import RateLimiter
from application.tracing import current_client_address
from domain.errors import RateLimited
from domain.ids import SessionId

TOO_MANY = "too many attempts, try again later"


class Rule(StrEnum):
    """Also the field of the 429's error: `{"errors": {"log in": ["too many attempts, …"]}}`."""

    LOG_IN = "log in"  # per account (the e-mail as given) and per address
    REGISTRATION = "registration"  # per address
    REFRESH = "refresh"  # per session
    MAIL = "mail"  # mails asked for: per recipient address and per client address


class RateLimits:
    def __init__(self, limiter: RateLimiter, *, enabled: bool = True) -> None:
        self._limiter = limiter
        self._enabled = enabled

    async def log_in(self, *, email: str) -> None:
        """Raises RateLimited before the password is looked at, so a storm costs no hashing."""
        await self._count(Rule.LOG_IN, f"account:{email.strip().lower()}", with_address=True)

    async def registration(self) -> None:
        await self._count(Rule.REGISTRATION, with_address=True)

    async def refresh(self, session_id: SessionId) -> None:
        await self._count(Rule.REFRESH, f"session:{session_id}")

    async def mail(self, *, email: str) -> None:
        await self._count(Rule.MAIL, f"recipient:{email.strip().lower()}", with_address=True)

    async def _count(self, rule: Rule, *keys: str, with_address: bool = False) -> None:
        if not self._enabled:
            return
        address = current_client_address.get() if with_address else None
        for key in (*keys, f"address:{address}") if address else keys:
            retry_after = await self._limiter.attempt(rule.value, key)
            if retry_after is not None:
                raise RateLimited(TOO_MANY, field=rule.value, retry_after=retry_after)
