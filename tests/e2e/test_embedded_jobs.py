"""Jobs in the embedded default: `inkwell serve` runs them itself, mails land in DATA_DIR/mail as .eml files,
and a job queued before a stop runs after the next start."""

import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.e2e.conftest import running_server

pytestmark = pytest.mark.e2e

FRONTEND = "https://conduit.example"


def _register(http: httpx.Client, name: str) -> dict[str, str]:
    response = http.post("/api/users", json={"user": {
        "username": name, "email": f"{name}@example.com", "password": "a long and unusual passphrase"}})
    assert response.status_code == 201, response.text
    user: dict[str, str] = response.json()["user"]
    return user


def _mails(workdir: Path, count: int, timeout: float = 15.0) -> list[EmailMessage]:
    """Wait until `count` mails were written, and return them oldest first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted((workdir / "var" / "mail").glob("*.eml")) if (workdir / "var" / "mail").exists() else []
        if len(files) >= count:
            return [_parsed(path) for path in files]
        time.sleep(0.05)
    raise AssertionError(f"expected {count} mails in {workdir / 'var' / 'mail'}")


def _parsed(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _token_in(message: EmailMessage, path: str) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    link = next(word for word in body.get_content().split() if word.startswith(f"{FRONTEND}{path}"))
    return parse_qs(urlparse(link).query)["token"][0]


def test_registration_mails_a_link_that_verifies_once(tmp_path: Path) -> None:
    with running_server(tmp_path, {"FRONTEND_URL": FRONTEND, "LOG_LEVEL": "INFO"}) as base, \
            httpx.Client(base_url=base) as http:
        user = _register(http, "writer")
        assert user["emailVerified"] is False
        [mail] = _mails(tmp_path, 1)
        assert mail["To"] == "writer@example.com"
        token = _token_in(mail, "/verify-email")
        assert http.post("/api/auth/verify-email", json={"token": token}).status_code == 204
        again = http.post("/api/auth/verify-email", json={"token": token})
        assert again.status_code == 422
        assert again.json() == {"errors": {"token": ["is invalid or has expired"]}}
        me = http.get("/api/user", headers={"Authorization": f"Token {user['token']}"})
        assert me.json()["user"]["emailVerified"] is True
    log = "".join(path.read_text() for path in tmp_path.glob("server-*.log"))
    assert '"event": "mail_written"' in log and f"{FRONTEND}/verify-email?token=" in log


def test_a_job_queued_before_a_stop_runs_after_the_next_start(tmp_path: Path) -> None:
    # The first server runs no jobs at all, so the mail is certainly not sent before it stops.
    with running_server(tmp_path, {"RUN_JOBS_IN_PROCESS": "false"}) as base, httpx.Client(base_url=base) as http:
        _register(http, "patient")
        time.sleep(0.5)
    assert not (tmp_path / "var" / "mail").exists()
    with running_server(tmp_path):
        [mail] = _mails(tmp_path, 1)
    assert mail["To"] == "patient@example.com"


def test_an_export_is_built_and_downloaded(tmp_path: Path) -> None:
    with running_server(tmp_path) as base, httpx.Client(base_url=base) as http:
        user = _register(http, "exporter")
        headers = {"Authorization": f"Token {user['token']}"}
        article = {"title": "Notes", "description": "d", "body": "All of it", "tagList": ["ink"]}
        assert http.post("/api/articles", json={"article": article}, headers=headers).status_code == 201
        asked = http.post("/api/user/export", headers=headers)
        assert asked.status_code == 202
        location = asked.headers["Location"]
        deadline, job = time.monotonic() + 15, asked.json()["job"]
        while job["status"] != "succeeded" and time.monotonic() < deadline:
            time.sleep(0.05)
            job = http.get(location, headers=headers).json()["job"]
        assert (job["status"], job["progress"]) == ("succeeded", 100)
        download = http.get(job["result"]["url"], headers=headers)
        assert download.status_code == 200
        assert download.headers["content-disposition"].startswith("attachment")
        document = download.json()
        assert document["account"]["username"] == "exporter"
        articles = [(a["title"], a["body"], a["tagList"]) for a in document["articles"]]
        assert articles == [("Notes", "All of it", ["ink"])]
    assert list((tmp_path / "var" / "exports").glob("*.json"))
