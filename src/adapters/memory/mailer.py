"""The in-memory mailer: keeps what it was given to send, in order, for tests to read."""

from collections.abc import Sequence
from dataclasses import replace

from application.ports.mail import TEMPLATES, Mail, Mailer


class MemoryMailer(Mailer):
    """Renders nothing, but refuses an unknown template as the real mailers do, before keeping any mail."""

    def __init__(self) -> None:
        self.sent: list[Mail] = []

    async def send(self, mails: Sequence[Mail]) -> None:
        unknown = sorted({mail.template for mail in mails} - set(TEMPLATES))
        if unknown:
            raise ValueError(f"unknown mail template {', '.join(map(repr, unknown))}; known: {', '.join(TEMPLATES)}")
        # A copy of the context, so a caller changing its dict afterwards does not change what was "sent".
        self.sent.extend(replace(mail, context=dict(mail.context)) for mail in mails)
