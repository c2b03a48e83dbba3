"""Ask for a password reset mail."""

from application.ports.persistence import UnitOfWork
from application.rate_limits import RateLimits
from domain.events import PasswordResetRequested
from domain.users import Email


class ForgotPassword:
    """Only queues a job, whether or not the address belongs to anyone: the answer and its timing are the
    same either way, and the job finds out. Raises InvalidValue for an address that cannot exist."""

    def __init__(self, *, uow: UnitOfWork, limits: RateLimits) -> None:
        self._uow = uow
        self._limits = limits

    async def __call__(self, *, email: str) -> None:
        address = Email(email)
        await self._limits.mail(email=address.value)
        async with self._uow as uow:
            uow.record(PasswordResetRequested(address.value))
            await uow.commit()
