"""Readiness of the mail server: it accepts a connection and greets, as the workers will need it to."""

import socket

import aiosmtplib

from application.ports.health import DependencyProbe, NotReady


class SmtpProbe(DependencyProbe):
    name = "smtp"

    def __init__(self, *, host: str, port: int, starttls: bool, ssl_tls: bool, timeout: int) -> None:
        self._host = host
        self._port = port
        self._starttls = starttls
        self._ssl_tls = ssl_tls
        self._timeout = timeout

    async def check(self) -> None:
        client = aiosmtplib.SMTP(hostname=self._host, port=self._port, use_tls=self._ssl_tls,
                                 start_tls=self._starttls, timeout=self._timeout)
        try:
            await client.connect()
            await client.quit()
        except (aiosmtplib.SMTPException, OSError) as error:
            raise NotReady(self._in_words(error)) from error

    def _in_words(self, error: Exception) -> str:
        address = f"{self._host}:{self._port}"
        underlying = error.__cause__ or error.__context__
        if isinstance(underlying, ConnectionRefusedError):
            return f"SMTP: nothing listens on {address} (connection refused)"
        if isinstance(underlying, socket.gaierror):
            return f"SMTP: no host is named {self._host}"
        if isinstance(error, aiosmtplib.SMTPTimeoutError | TimeoutError):
            return f"SMTP: {address} does not answer (timeout)"
        return f"SMTP: {error} ({address})"
