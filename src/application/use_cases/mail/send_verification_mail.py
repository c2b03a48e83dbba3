"""The job that mails a link confirming an address."""

from typing import Any

from application.email_tokens import EmailTokens
from application.jobs.catalog import SendVerificationMail
from application.jobs.running import RunningJob
from application.links import FrontendLinks
from application.ports import mail
from application.ports.mail import Mail, Mailer
from application.ports.persistence import UnitOfWork


class SendVerificationMailHandler:
    """Mails nothing when the user is gone, has moved to another address, or has verified meanwhile."""

    def __init__(
        self, *, uow: UnitOfWork, tokens: EmailTokens, links: FrontendLinks, mailer: Mailer, expires_hours: int
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._links = links
        self._mailer = mailer
        self._expires_hours = expires_hours

    async def __call__(self, job: RunningJob[SendVerificationMail]) -> dict[str, Any]:
        async with self._uow as uow:
            user = await uow.users.get(job.spec.user_id)
        if user is None or user.email.value != job.spec.email or user.is_verified:
            return {"sent": False}
        link = self._links.verify_email(self._tokens.verify_email(user))
        await self._mailer.send([Mail(
            mail.VERIFY_EMAIL, to=user.email.value, link=link, key=str(job.id),
            context={"username": user.username.value, "expires_hours": self._expires_hours},
        )])
        return {"sent": True}
