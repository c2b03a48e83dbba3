"""Inkwell in production shape for end-to-end tests: a fresh PostgreSQL database, Redis, a broker, a real SMTP
server, and the `inkwell serve` and `inkwell worker` commands as separate processes."""

import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import psycopg
from sqlalchemy.engine import make_url

from adapters.sql.migrations import upgrade
from entrypoints.settings import Settings
from tests.contract.databases import fresh_postgres_database
from tests.e2e.conftest import INKWELL, STARTUP_SECONDS, running_server
from tests.services import (
    RABBITMQ_URL,
    REDIS_URL,
    forget_queues,
    require_postgres,
    require_rabbitmq,
    require_redis,
)
from tests.smtp_sink import SmtpSink

FRONTEND = "https://conduit.example"
PASSWORD = "a long and unusual passphrase"


@dataclass
class Stack:
    workdir: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)

    @contextmanager
    def serve(self, **overrides: str) -> Iterator[httpx.Client]:
        with running_server(self.workdir, {**self.env, **overrides}) as base, httpx.Client(base_url=base) as http:
            yield http

    @contextmanager
    def worker(self, *, threads: int = 4, **overrides: str) -> Iterator[subprocess.Popen[bytes]]:
        """`inkwell worker` with one process, until the block ends (SIGTERM, as an orchestrator stops it)."""
        process = self.start_worker(threads=threads, **overrides)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)

    def start_worker(self, *, threads: int = 4, **overrides: str) -> "subprocess.Popen[bytes]":
        log = self.workdir / f"worker-{secrets.token_hex(3)}.log"
        clean_env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
        env = {**clean_env, **self.env, "LOG_LEVEL": "INFO", **overrides}
        with log.open("w") as output:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(  # noqa: S603 - our own console script
                [INKWELL, "worker", "--processes", "1", "--threads", str(threads), "--shutdown-timeout", "10"],
                cwd=self.workdir, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while '"relay_started"' not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"inkwell worker did not start:\n{log.read_text()}")
            time.sleep(0.05)
        return process

    def jobs(self) -> list[dict[str, Any]]:
        conninfo = make_url(self.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as connection, connection.cursor(row_factory=psycopg.rows.dict_row) as cursor:
            cursor.execute("SELECT * FROM jobs ORDER BY created_at")
            return cursor.fetchall()

    def user_id(self, username: str) -> Any:
        conninfo = make_url(self.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as connection:
            row = connection.execute("SELECT id FROM users WHERE username = %s", (username,)).fetchone()
        return row[0] if row else None

    def users(self) -> int:
        conninfo = make_url(self.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as connection:
            row = connection.execute("SELECT count(*) FROM users").fetchone()
        return int(row[0]) if row else 0

    def wait_for_job(
        self, job_type: str, status: str, *, owner: str | None = None, timeout: float = 20.0
    ) -> dict[str, Any]:
        """The first job of `job_type` (of the user named `owner`, if given) to reach `status`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for job in self.jobs():
                if job["type"] == job_type and job["status"] == status and (
                    owner is None or job["owner_id"] == self.user_id(owner)
                ):
                    return job
            time.sleep(0.05)
        raise AssertionError(f"no {job_type} job became {status}; jobs: {self.jobs()}")

    def create_admin(self, username: str) -> None:
        clean_env = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
        subprocess.run(  # noqa: S603 - our own console script
            [INKWELL, "create-admin", "--email", f"{username}@example.com", "--username", username,
             "--password", PASSWORD],
            cwd=self.workdir, env={**clean_env, **self.env}, check=True, capture_output=True, timeout=60,
        )


@contextmanager
def production_stack(workdir: Path, broker: str, sink: SmtpSink, **env: str) -> Iterator[Stack]:
    require_postgres()
    require_redis()
    if broker == "rabbitmq":
        require_rabbitmq()
    with fresh_postgres_database() as database_url:
        upgrade(database_url)
        settings = {
            "INKWELL_PROFILE": "production",
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "JWT_SECRET": secrets.token_urlsafe(48),
            "PASSWORD_PEPPER": secrets.token_urlsafe(48),
            "SMTP_HOST": sink.host,
            "SMTP_PORT": str(sink.port),
            "SMTP_STARTTLS": "false",
            "SMTP_FROM": "Inkwell <no-reply@inkwell.example>",
            "FRONTEND_URL": FRONTEND,
            "JOB_QUEUE_PREFIX": f"test-{secrets.token_hex(4)}",
            "PASSWORD_REFUSE_COMMON": "false",
            # These stacks register and log in from one address far more often than a person would, and
            # counts on the shared Redis would carry over between runs; limits have tests of their own.
            "RATE_LIMITS_ENABLED": "false",
            "EXPORT_DIR": str(workdir / "exports"),
            **({"BROKER_URL": RABBITMQ_URL} if broker == "rabbitmq" else {}),
            **env,
        }
        try:
            yield Stack(workdir, database_url, settings)
        finally:
            forget_queues(settings["JOB_QUEUE_PREFIX"])


def register(http: httpx.Client, name: str) -> dict[str, str]:
    response = http.post("/api/users", json={"user": {"username": name, "email": f"{name}@example.com",
                                                      "password": PASSWORD}})
    assert response.status_code == 201, response.text
    user: dict[str, str] = response.json()["user"]
    return user


def log_in(http: httpx.Client, name: str, password: str = PASSWORD) -> httpx.Response:
    return http.post("/api/users/login", json={"user": {"email": f"{name}@example.com", "password": password}})


def wait_for_mails(sink: SmtpSink, count: int, timeout: float = 20.0) -> list[EmailMessage]:
    deadline = time.monotonic() + timeout
    while len(sink.messages) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"expected {count} mails, the server received {len(sink.messages)}")
        time.sleep(0.02)
    return list(sink.messages)


def token_in(message: EmailMessage, path: str) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    link = next(word for word in body.get_content().split() if word.startswith(f"{FRONTEND}{path}"))
    return parse_qs(urlparse(link).query)["token"][0]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {token}"}
