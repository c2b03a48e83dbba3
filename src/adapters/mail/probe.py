"""Readiness of the mail server: it accepts a connection and greets, as the workers will need it to."""

import aiosmtplib

from application.ports.health import DependencyProbe


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
        await client.connect()
        await client.quit()
