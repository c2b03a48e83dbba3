"""A real SMTP server for tests: aiosmtpd on a free local port, keeping every message it accepts."""

import asyncio
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True, slots=True)
class Delivery:
    """The envelope of one accepted message: what the server was told, whatever the headers say."""

    mail_from: str
    rcpt_tos: tuple[str, ...]


@dataclass
class SmtpSink:
    """What the server received. `refuse` holds recipients it answers 550 at RCPT; `quit_reply`, when set,
    replaces "221 Bye". `connections` counts the connections that carried at least one RCPT, so several
    mails on one connection count once."""

    port: int
    host: str = "127.0.0.1"
    data_delay: float = 0.0  # seconds the server takes over DATA before it answers: a slow server
    refuse: set[str] = field(default_factory=set)
    quit_reply: str | None = None
    messages: list[EmailMessage] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)

    @property
    def connections(self) -> int:
        return len(self.sessions)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self._sink = sink

    # aiosmtpd finds its hooks by these names.
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if not any(seen is session for seen in self._sink.sessions):
            self._sink.sessions.append(session)
        if address in self._sink.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self._sink.data_delay:
            await asyncio.sleep(self._sink.data_delay)
            if server.transport is None or server.transport.is_closing():
                return "421 the client went away"  # a client that gave up never sent this message
        content = envelope.original_content or b""
        message = message_from_bytes(content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self._sink.deliveries.append(Delivery(str(envelope.mail_from), tuple(envelope.rcpt_tos)))
        self._sink.messages.append(message)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        return self._sink.quit_reply or "221 Bye"


def free_port() -> int:
    """A port nothing listens on (for now): the OS picks it, we let it go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def smtp_sink(
    *, refuse: Iterable[str] = (), quit_reply: str | None = None, credentials: tuple[str, str] | None = None,
    port: int | None = None,
) -> Iterator[SmtpSink]:
    """A running server for the block. With `credentials`, it offers AUTH (without TLS, on loopback only)
    and refuses a login that does not match them."""
    # Controller(port=0) cannot probe its own readiness (STACK G4): pick the free port ourselves.
    sink = SmtpSink(port=port or free_port(), refuse=set(refuse), quit_reply=quit_reply)
    options: dict[str, Any] = {}
    if credentials is not None:
        options = {"authenticator": _authenticator(sink, credentials), "auth_require_tls": False}
    controller = Controller(_Handler(sink), hostname=sink.host, port=sink.port, **options)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def _authenticator(sink: SmtpSink, credentials: tuple[str, str]) -> Any:
    def authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = data.login.decode(), data.password.decode()
        if (login, password) != credentials:
            return AuthResult(success=False, handled=False)
        sink.logins.append(login)
        return AuthResult(success=True)

    return authenticate
