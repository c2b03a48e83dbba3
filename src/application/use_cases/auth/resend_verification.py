"""Ask for another verification mail."""

from application.actor import Actor
from application.errors import InvalidToken
from application.ports.persistence import UnitOfWork
from application.rate_limits import RateLimits


class ResendVerification:
    """Queues a new verification mail; earlier ones stay valid until they expire.
    Raises Conflict (field `email`) when the address is verified already."""

    def __init__(self, *, uow: UnitOfWork, limits: RateLimits) -> None:
        self._uow = uow
        self._limits = limits

    async def __call__(self, actor: Actor) -> None:
        async with self._uow as uow:
            user = await uow.users.get(actor.user_id, for_change=True)
            if user is None:
                raise InvalidToken()
            await self._limits.mail(email=user.email.value)
            user.request_verification()
            await uow.users.save(user)
            await uow.commit()
