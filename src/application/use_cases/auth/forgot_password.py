"""Ask for a password reset mail."""

from application.ports.persistence import UnitOfWork
from domain.events import PasswordResetRequested
from domain.users import Email


class ForgotPassword:
    """Only queues a job, whether or not the address belongs to anyone: the answer and its timing are the
    same either way, and the job finds out. Raises InvalidValue for an address that cannot exist."""

    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, *, email: str) -> None:
        address = Email(email)
        async with self._uow as uow:
            uow.record(PasswordResetRequested(address.value))
            await uow.commit()
