"""The job that tells a user their password was changed, so that a change they did not make is noticed."""

from typing import Any

from application.jobs.catalog import SendPasswordChangedMail
from application.jobs.running import RunningJob
from application.ports import mail
from application.ports.mail import Mail, Mailer
from application.ports.queries import RecipientQueries


class SendPasswordChangedMailHandler:
    def __init__(self, *, recipients: RecipientQueries, mailer: Mailer) -> None:
        self._recipients = recipients
        self._mailer = mailer

    async def __call__(self, job: RunningJob[SendPasswordChangedMail]) -> dict[str, Any]:
        recipient = await self._recipients.recipient(job.spec.user_id)
        if recipient is None:
            return {"sent": False}
        await self._mailer.send([Mail(
            mail.PASSWORD_CHANGED, to=recipient.email, key=str(job.id), context={"username": recipient.username},
        )])
        return {"sent": True}
