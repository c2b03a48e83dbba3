"""The file outbox: each mail written as an `.eml` file instead of sent, for the embedded mode."""

import asyncio
import contextlib
import logging
import os
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.message import Message
from email.policy import compat32
from pathlib import Path

from adapters.mail.composer import MailComposer
from application.ports.mail import Mail, Mailer

# The line endings of mail on the wire, in the policy the composer builds messages with.
_EML = compat32.clone(linesep="\r\n")

log = logging.getLogger("inkwell.mail")


class FileMailer(Mailer):
    """Names sort in the order mails were written; each file appears whole or not at all. One log line per
    mail carries its link, which is what a developer clicks when no mail server is running."""

    def __init__(self, directory: str | Path, composer: MailComposer) -> None:
        self._directory = Path(directory)
        self._composer = composer
        self._last_stamp = datetime.min.replace(tzinfo=UTC)

    async def send(self, mails: Sequence[Mail]) -> None:
        # Compose them all first: a mail that cannot be rendered stops the batch before any file is written.
        messages = [self._composer.compose(mail) for mail in mails]
        for mail, message in zip(mails, messages, strict=True):
            path = self._directory / self._next_name()
            await asyncio.to_thread(self._write, path, message)
            log.info(
                "mail_written", extra={"to": mail.to, "template": mail.template, "path": str(path), "link": mail.link}
            )

    def _next_name(self) -> str:
        # Strictly increasing, so mails written within one clock tick still sort in the order they were sent.
        stamp = max(datetime.now(UTC), self._last_stamp + timedelta(microseconds=1))
        self._last_stamp = stamp
        return f"{stamp:%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(4)}.eml"

    def _write(self, path: Path, message: Message) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A dot name that is no `.eml`, renamed into place: a reader never sees half a message.
        partial = path.with_name(f".{path.name}.partial")
        try:
            partial.write_bytes(message.as_bytes(policy=_EML))
            os.replace(partial, path)
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
