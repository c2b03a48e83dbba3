"""The job that mails a password reset link, if the address belongs to anyone."""

from typing import Any

from application.email_tokens import EmailTokens
from application.jobs.catalog import SendPasswordResetMail
from application.jobs.running import RunningJob
from application.links import FrontendLinks
from application.ports import mail
from application.ports.mail import Mail, Mailer
from application.ports.persistence import UnitOfWork
from domain.users import Email


class SendPasswordResetMailHandler:
    """Mails nothing for an address nobody has, or a deactivated account; the result says so only to
    administrators reading the job."""

    def __init__(
        self, *, uow: UnitOfWork, tokens: EmailTokens, links: FrontendLinks, mailer: Mailer, expires_minutes: int
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._links = links
        self._mailer = mailer
        self._expires_minutes = expires_minutes

    async def __call__(self, job: RunningJob[SendPasswordResetMail]) -> dict[str, Any]:
        async with self._uow as uow:
            user = await uow.users.by_email(Email(job.spec.email))
        if user is None or not user.is_active:
            return {"sent": False}
        link = self._links.reset_password(self._tokens.reset_password(user))
        await self._mailer.send([Mail(
            mail.RESET_PASSWORD, to=user.email.value, link=link, key=str(job.id),
            context={"username": user.username.value, "expires_minutes": self._expires_minutes},
        )])
        return {"sent": True}
