"""Mailer contract: every adapter delivers the mails in order; the rendering ones send the same message."""

import logging
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from adapters.mail.composer import MailComposer
from adapters.mail.file_mailer import FileMailer
from adapters.mail.smtp_mailer import SmtpMailer
from adapters.memory.mailer import MemoryMailer
from application.errors import DependencyUnavailable, PermanentFailure
from application.ports.mail import NEW_ARTICLE, VERIFY_EMAIL, Mail, Mailer
from tests.smtp_sink import free_port, smtp_sink

FRONTEND = "https://inkwell.example"
SENDER = "Inkwell <noreply@inkwell.example>"
COMPOSER = MailComposer("Inkwell", FRONTEND, SENDER)


def verification(to: str, token: str, *, key: str | None = None) -> Mail:
    context: dict[str, str | int | None] = {"username": to.partition("@")[0], "expires_hours": 24}
    return Mail(VERIFY_EMAIL, to, context, link=f"{FRONTEND}/verify-email?token={token}", key=key)


def new_article(to: str, title: str) -> Mail:
    context = {"username": "ada", "author": "grace", "title": title, "description": "A short one."}
    return Mail(NEW_ARTICLE, to, context, link=f"{FRONTEND}/article/a-slug")


def smtp_mailer(port: int, *, timeout: int = 5, username: str = "", password: str = "") -> SmtpMailer:
    return SmtpMailer(
        composer=COMPOSER, host="127.0.0.1", port=port, username=username, password=password, timeout=timeout
    )


def text_of(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    assert part is not None, f"no text/{subtype} part"
    content = part.get_content()
    assert isinstance(content, str)
    return content


def token_link(text: str) -> str | None:
    found = re.search(r"https?://\S+\?token=\S+", text)
    return found.group() if found else None


def eml_files(directory: Path, *, everything: bool = False) -> list[Path]:
    """The outbox's mails in name order; with `everything`, any other file too (a leftover would show)."""
    if not directory.exists():
        return []
    return sorted(directory.iterdir() if everything else directory.glob("*.eml"))


def parsed(files: list[Path]) -> list[EmailMessage]:
    messages = [message_from_bytes(file.read_bytes(), policy=policy.default) for file in files]
    assert all(isinstance(message, EmailMessage) for message in messages)
    return [message for message in messages if isinstance(message, EmailMessage)]


@dataclass(frozen=True)
class Received:
    to: str
    link: str | None
    message: EmailMessage | None  # None where nothing is rendered (the memory mailer)


@dataclass
class MailerBench:
    mailer: Mailer
    received: Callable[[], list[Received]]


def _rendered(to: str, message: EmailMessage) -> Received:
    return Received(to, token_link(text_of(message, "plain")), message)


@contextmanager
def _bench(kind: str, outbox: Path) -> Iterator[MailerBench]:
    if kind == "memory":
        memory = MemoryMailer()
        yield MailerBench(memory, lambda: [Received(mail.to, mail.link, None) for mail in memory.sent])
    elif kind == "file":

        def written() -> list[Received]:
            return [_rendered(str(message["To"]), message) for message in parsed(eml_files(outbox))]

        yield MailerBench(FileMailer(outbox, COMPOSER), written)
    else:
        with smtp_sink() as sink:

            def delivered() -> list[Received]:
                return [
                    _rendered(delivery.rcpt_tos[0], message)
                    for delivery, message in zip(sink.deliveries, sink.messages, strict=True)
                ]

            yield MailerBench(smtp_mailer(sink.port), delivered)


@pytest.fixture(params=["memory", "file", "smtp"])
def bench(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MailerBench]:
    with _bench(request.param, tmp_path / "outbox") as running:
        yield running


@pytest.fixture(params=["file", "smtp"])
def rendering(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MailerBench]:
    with _bench(request.param, tmp_path / "outbox") as running:
        yield running


# Every mailer


async def test_delivers_the_mails_in_order_each_to_its_recipient(bench: MailerBench) -> None:
    mails = [
        verification("ada@example.com", "t1"),
        verification("bob@example.com", "t2"),
        verification("cy@example.com", "t3"),
    ]
    await bench.mailer.send(mails)
    assert [(r.to, r.link) for r in bench.received()] == [(m.to, m.link) for m in mails]


async def test_later_sends_come_after_earlier_ones(bench: MailerBench) -> None:
    await bench.mailer.send([verification("ada@example.com", "first")])
    await bench.mailer.send([verification("ada@example.com", "second")])
    assert [r.link for r in bench.received()] == [f"{FRONTEND}/verify-email?token={t}" for t in ("first", "second")]


async def test_sending_no_mail_delivers_nothing(bench: MailerBench) -> None:
    await bench.mailer.send([])
    assert bench.received() == []


async def test_an_unknown_template_stops_the_batch_before_anything_is_sent(bench: MailerBench) -> None:
    with pytest.raises(ValueError, match="verify_email"):
        await bench.mailer.send([verification("ada@example.com", "t1"), Mail("welcome_back", "bob@example.com")])
    assert bench.received() == []


# The mailers that render a message (file, SMTP)


async def test_the_message_is_plain_text_with_an_html_alternative(rendering: MailerBench) -> None:
    mail = verification("ada@example.com", "abc.DEF-123")
    await rendering.mailer.send([mail])
    [received] = rendering.received()
    message = received.message
    assert message is not None
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    assert mail.link is not None
    assert mail.link in text_of(message, "plain")
    assert mail.link in text_of(message, "html")
    assert message["Subject"] == "Confirm your e-mail address for Inkwell"
    assert message["From"] == SENDER
    assert message["To"] == "ada@example.com"
    assert message["Date"] is not None
    assert re.fullmatch(r"<[^<>@\s]+@inkwell\.example>", str(message["Message-ID"]))


async def test_a_keyed_mail_has_a_message_id_derived_from_its_key(rendering: MailerBench) -> None:
    await rendering.mailer.send([verification("ada@example.com", "t1", key="job-1")])
    await rendering.mailer.send([verification("ada@example.com", "t1", key="job-1")])  # a retried job's copy
    await rendering.mailer.send([verification("ada@example.com", "t1", key="job-2")])
    await rendering.mailer.send([verification("ada@example.com", "t1"), verification("ada@example.com", "t1")])
    ids = [str(r.message["Message-ID"]) for r in rendering.received() if r.message is not None]
    assert len(ids) == 5
    assert ids[0] == ids[1]
    assert len(set(ids[1:])) == 4


async def test_user_text_is_escaped_in_the_html_part_only(rendering: MailerBench) -> None:
    title = '<script>alert("x")</script> & more'
    await rendering.mailer.send([new_article("ada@example.com", title)])
    [received] = rendering.received()
    assert received.message is not None
    html = text_of(received.message, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert title in text_of(received.message, "plain")
    assert received.message["Subject"] == f"New on Inkwell: {title}"


async def test_a_line_break_in_a_title_cannot_add_a_header(rendering: MailerBench) -> None:
    await rendering.mailer.send([new_article("ada@example.com", "Hello\r\nBcc: eve@example.com\nX-Evil: 1")])
    [received] = rendering.received()
    assert received.message is not None
    assert received.message["Subject"] == "New on Inkwell: Hello Bcc: eve@example.com X-Evil: 1"
    assert received.message["Bcc"] is None
    assert received.message["X-Evil"] is None


# The in-memory mailer


async def test_the_memory_mailer_keeps_each_mail_as_it_was_when_sent() -> None:
    context: dict[str, str | int | None] = {"username": "ada", "expires_hours": 24}
    mailer = MemoryMailer()
    await mailer.send([Mail(VERIFY_EMAIL, "ada@example.com", context, link=f"{FRONTEND}/verify-email?token=t")])
    context["username"] = "changed later"
    assert [mail.context["username"] for mail in mailer.sent] == ["ada"]


# The file outbox


async def test_the_outbox_holds_one_eml_file_per_mail_and_nothing_else(tmp_path: Path) -> None:
    outbox = tmp_path / "var" / "outbox"  # created on first use
    await FileMailer(outbox, COMPOSER).send([verification(f"u{n}@example.com", f"t{n}") for n in range(5)])
    files = eml_files(outbox, everything=True)
    assert len(files) == 5
    assert all(re.fullmatch(r"\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{8}\.eml", file.name) for file in files)
    assert [message["To"] for message in parsed(files)] == [f"u{n}@example.com" for n in range(5)]


async def test_the_outbox_logs_each_mail_with_its_link(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    mails = [verification("ada@example.com", "t1"), verification("bob@example.com", "t2")]
    with caplog.at_level(logging.INFO, logger="inkwell.mail"):
        await FileMailer(tmp_path, COMPOSER).send(mails)
    records = [record for record in caplog.records if record.name == "inkwell.mail"]
    assert [record.getMessage() for record in records] == ["mail_written", "mail_written"]
    assert [(r.__dict__["to"], r.__dict__["template"], r.__dict__["link"]) for r in records] == [
        (mail.to, VERIFY_EMAIL, mail.link) for mail in mails
    ]
    assert sorted(record.__dict__["path"] for record in records) == [str(file) for file in eml_files(tmp_path)]


# SMTP


async def test_several_mails_go_over_one_connection() -> None:
    with smtp_sink() as sink:
        await smtp_mailer(sink.port).send([verification(f"u{n}@example.com", f"t{n}") for n in range(3)])
        assert len(sink.messages) == 3
        assert sink.connections == 1


async def test_the_envelope_names_the_sender_and_the_recipient() -> None:
    with smtp_sink() as sink:
        await smtp_mailer(sink.port).send([verification("ada@example.com", "t1")])
        [delivery] = sink.deliveries
        assert (delivery.mail_from, delivery.rcpt_tos) == ("noreply@inkwell.example", ("ada@example.com",))


async def test_a_server_that_is_not_listening_is_unavailable() -> None:
    with pytest.raises(DependencyUnavailable) as raised:
        await smtp_mailer(free_port()).send([verification("ada@example.com", "t1")])
    assert raised.value.dependency == "smtp"


async def test_a_server_that_never_answers_is_unavailable() -> None:
    with socket.socket() as silent:  # accepts connections (in the backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with pytest.raises(DependencyUnavailable):
            await smtp_mailer(silent.getsockname()[1], timeout=1).send([verification("ada@example.com", "t1")])


async def test_a_refused_recipient_is_a_permanent_failure_after_the_mails_before_it() -> None:
    with smtp_sink(refuse={"gone@example.com"}) as sink:
        mails = [
            verification("ada@example.com", "t1"),
            verification("gone@example.com", "t2"),
            verification("bob@example.com", "t3"),
        ]
        with pytest.raises(PermanentFailure, match="550"):
            await smtp_mailer(sink.port).send(mails)
        assert [d.rcpt_tos for d in sink.deliveries] == [("ada@example.com",)]


async def test_a_failed_goodbye_after_the_mails_were_accepted_is_no_failure() -> None:
    # Raising would have the job retried, and the mails sent twice.
    with smtp_sink(quit_reply="554 5.3.0 Goodbye failed") as sink:
        await smtp_mailer(sink.port).send([verification("ada@example.com", "t1"), verification("bo@example.com", "t2")])
        assert len(sink.messages) == 2


async def test_credentials_are_used_when_given() -> None:
    with smtp_sink(credentials=("mailer", "s3cret")) as sink:
        await smtp_mailer(sink.port, username="mailer", password="s3cret").send([verification("ada@example.com", "t")])
        assert sink.logins == ["mailer"]
        assert len(sink.messages) == 1


async def test_refused_credentials_make_the_server_unavailable() -> None:
    with smtp_sink(credentials=("mailer", "s3cret")) as sink:
        mailer = smtp_mailer(sink.port, username="mailer", password="wrong")
        with pytest.raises(DependencyUnavailable):
            await mailer.send([verification("ada@example.com", "t")])
        assert sink.messages == []


async def test_mail_settings_in_the_environment_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    # fastapi-mail's ConnectionConfig would read any field it is not given from these (STACK G2).
    for name, value in {
        "MAIL_SERVER": "nowhere.invalid",
        "MAIL_PORT": "1",
        "SUPPRESS_SEND": "1",
        "USE_CREDENTIALS": "true",
        "MAIL_USERNAME": "env-user",
        "TIMEOUT": "0",
    }.items():
        monkeypatch.setenv(name, value)
    with smtp_sink() as sink:
        await smtp_mailer(sink.port).send([verification("ada@example.com", "t1")])
        assert len(sink.messages) == 1
        assert sink.logins == []


def test_starttls_and_implicit_tls_exclude_each_other() -> None:
    with pytest.raises(ValueError, match="not both"):
        SmtpMailer(composer=COMPOSER, host="127.0.0.1", port=25, starttls=True, ssl_tls=True)
