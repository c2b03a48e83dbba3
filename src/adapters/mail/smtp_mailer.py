"""The SMTP mailer: composed mails sent through fastapi-mail's connection, several per connection.

fastapi-mail builds the connection (TLS, login, timeout) from a `ConnectionConfig`; the messages come from
the composer instead of fastapi-mail's `MessageSchema`, whose builder (1.6.8) wraps the alternative in a
base64 multipart/related, writes a given Message-ID twice and turns `ada@example.com` into
`ada <ada@example.com>`. So SMTP carries exactly what the file outbox shows.
"""

import contextlib
from collections.abc import Sequence
from email.message import Message
from email.utils import parseaddr
from types import TracebackType

from aiosmtplib import (
    SMTPConnectError,
    SMTPException,
    SMTPRecipientsRefused,
    SMTPResponseException,
    SMTPServerDisconnected,
    SMTPTimeoutError,
)
from fastapi_mail import ConnectionConfig
from fastapi_mail.connection import Connection
from fastapi_mail.errors import ConnectionErrors
from pydantic import SecretStr

from adapters.mail.composer import MailComposer
from application.errors import DependencyUnavailable, PermanentFailure
from application.ports.mail import Mail, Mailer

_UNAVAILABLE = (SMTPConnectError, SMTPServerDisconnected, SMTPTimeoutError, OSError)


class SmtpMailer(Mailer):
    """Raises DependencyUnavailable("smtp") when the server cannot be reached, does not answer in time or
    answers "try later" (4xx), and PermanentFailure when it refuses a mail for good (5xx)."""

    def __init__(
        self,
        *,
        composer: MailComposer,
        host: str,
        port: int,
        username: str = "",
        password: str = "",
        starttls: bool = False,
        ssl_tls: bool = False,
        timeout: int = 30,
        validate_certs: bool = True,
    ) -> None:
        if starttls and ssl_tls:
            raise ValueError("choose STARTTLS or implicit TLS, not both")
        sender_name, sender_address = parseaddr(composer.sender)
        self._composer = composer
        # Every field is given: ConnectionConfig is a BaseSettings and would fill gaps from MAIL_* variables.
        self._config = ConnectionConfig(
            MAIL_USERNAME=username,
            MAIL_PASSWORD=SecretStr(password),
            MAIL_PORT=port,
            MAIL_SERVER=host,
            MAIL_STARTTLS=starttls,
            MAIL_SSL_TLS=ssl_tls,
            MAIL_DEBUG=0,
            MAIL_FROM=sender_address,
            MAIL_FROM_NAME=sender_name or None,
            TEMPLATE_FOLDER=None,
            SUPPRESS_SEND=0,
            USE_CREDENTIALS=bool(username),
            VALIDATE_CERTS=validate_certs,
            TIMEOUT=timeout,
            LOCAL_HOSTNAME=None,
            CERT_BUNDLE=None,
        )

    async def send(self, mails: Sequence[Mail]) -> None:
        if not mails:
            return
        # Compose them all first: a mail that cannot be rendered stops the batch before anything is sent.
        messages = [self._composer.compose(mail) for mail in mails]
        try:
            await self._deliver(messages)
        except ConnectionErrors as error:  # fastapi-mail's wrapper for whatever failed in connecting or logging in
            raise DependencyUnavailable("smtp") from error
        except SMTPRecipientsRefused as error:
            refusal = error.recipients[0]  # one recipient per mail
            raise _refused(refusal.code, refusal.message, "the recipient") from error
        except SMTPResponseException as error:
            if not 400 <= error.code < 600:
                raise
            raise _refused(error.code, error.message, "the mail") from error
        except _UNAVAILABLE as error:
            raise DependencyUnavailable("smtp") from error

    async def _deliver(self, messages: Sequence[Message]) -> None:
        async with _Connection(self._config) as connection:
            for message in messages:
                await connection.session.send_message(message)


class _Connection(Connection):
    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # QUIT comes after the mails were accepted (or after the failure that matters): a goodbye that fails
        # must neither hide that failure nor, by raising after a success, have a retry send the mails again.
        with contextlib.suppress(SMTPException, OSError):
            await super().__aexit__(exc_type, exc, tb)


def _refused(code: int, message: str, what: str) -> Exception:
    if code < 500:  # "try again later"
        return DependencyUnavailable("smtp")
    return PermanentFailure(f"the mail server refused {what}: {code} {message[:200]}")
