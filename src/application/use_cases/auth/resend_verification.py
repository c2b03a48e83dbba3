"""Ask for another verification mail."""

from application.actor import Actor
from application.errors import InvalidToken
from application.ports.persistence import UnitOfWork


class ResendVerification:
    """Queues a new verification mail; earlier ones stay valid until they expire.
    Raises Conflict (field `email`) when the address is verified already."""

    def __init__(self, *, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, actor: Actor) -> None:
        async with self._uow as uow:
            user = await uow.users.get(actor.user_id)
            if user is None:
                raise InvalidToken()
            user.request_verification()
            await uow.users.save(user)
            await uow.commit()
