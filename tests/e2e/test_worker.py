"""The worker half in production shape, on Redis and on RabbitMQ: real `inkwell serve` and `inkwell worker`
processes, PostgreSQL, and mail received by a real SMTP server."""

import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.production import (
    bearer,
    log_in,
    production_stack,
    register,
    token_in,
    wait_for_mails,
)
from tests.smtp_sink import smtp_sink

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]
BROKERS = ["redis", pytest.param("rabbitmq", marks=pytest.mark.rabbitmq)]


@pytest.mark.parametrize("broker", BROKERS)
def test_registration_mails_a_link_that_verifies_once(tmp_path: Path, broker: str) -> None:
    with smtp_sink() as sink, production_stack(tmp_path, broker, sink) as stack, stack.worker(), stack.serve() as http:
        user = register(http, "writer")
        [mail] = wait_for_mails(sink, 1)
        assert mail["To"] == "writer@example.com" and "Confirm" in mail["Subject"]
        token = token_in(mail, "/verify-email")
        assert http.post("/api/auth/verify-email", json={"token": token}).status_code == 204
        second = http.post("/api/auth/verify-email", json={"token": token})
        assert second.status_code == 422 and second.json() == {"errors": {"token": ["is invalid or has expired"]}}
        assert http.get("/api/user", headers=bearer(user["token"])).json()["user"]["emailVerified"] is True
        [job] = stack.jobs()
        assert (job["status"], job["attempts"]) == ("succeeded", 1)


@pytest.mark.parametrize("broker", BROKERS)
def test_a_forgotten_password_is_reset_through_the_mailed_link(tmp_path: Path, broker: str) -> None:
    with smtp_sink() as sink, production_stack(tmp_path, broker, sink) as stack, stack.worker(), stack.serve() as http:
        user = register(http, "forgetful")
        wait_for_mails(sink, 1)
        assert http.post("/api/auth/forgot-password", json={"email": "forgetful@example.com"}).status_code == 202
        assert http.post("/api/auth/forgot-password", json={"email": "nobody@example.com"}).status_code == 202
        reset_mail = wait_for_mails(sink, 2)[1]
        assert reset_mail["To"] == "forgetful@example.com"
        token = token_in(reset_mail, "/reset-password")
        new_password = "an even longer and newer passphrase"
        assert http.post("/api/auth/reset-password", json={"token": token, "password": new_password}).status_code == 204
        assert http.get("/api/user", headers=bearer(user["token"])).status_code == 401
        assert http.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]}).status_code == 401
        assert log_in(http, "forgetful").status_code == 401
        assert log_in(http, "forgetful", new_password).status_code == 200
        reused = http.post("/api/auth/reset-password", json={"token": token, "password": "yet another passphrase"})
        assert reused.status_code == 422 and reused.json() == {"errors": {"token": ["is invalid or has expired"]}}
        changed = wait_for_mails(sink, 3)[2]
        assert changed["To"] == "forgetful@example.com" and "changed" in changed["Subject"]
        time.sleep(0.5)  # the unknown address's job has run by now, and mailed no one
        assert [job["status"] for job in stack.jobs() if job["type"] == "send_password_reset_mail"] == [
            "succeeded", "succeeded"
        ]
        assert len(sink.messages) == 3


@pytest.mark.parametrize("broker", BROKERS)
def test_an_export_is_built_by_the_worker_and_downloaded(tmp_path: Path, broker: str) -> None:
    with smtp_sink() as sink, production_stack(tmp_path, broker, sink) as stack, stack.worker(), stack.serve() as http:
        writer, reader = register(http, "writer"), register(http, "reader")
        article = {"title": "Ink", "description": "About ink", "body": "Ink is wet.", "tagList": ["ink", "craft"]}
        slug = http.post("/api/articles", json={"article": article}, headers=bearer(writer["token"])).json()[
            "article"]["slug"]
        comment = {"comment": {"body": "Agreed"}}
        http.post(f"/api/articles/{slug}/comments", json=comment, headers=bearer(writer["token"]))
        http.post(f"/api/articles/{slug}/favorite", headers=bearer(writer["token"]))
        http.post("/api/profiles/reader/follow", headers=bearer(writer["token"]))
        asked = http.post("/api/user/export", headers=bearer(writer["token"]))
        assert asked.status_code == 202
        job = _finished(http, asked.headers["Location"], writer["token"])
        assert (job["status"], job["progress"]) == ("succeeded", 100)
        download = http.get(job["result"]["url"], headers=bearer(writer["token"]))
        assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
        document = download.json()
        assert document["account"]["email"] == "writer@example.com"
        assert [(a["slug"], a["body"], a["tagList"]) for a in document["articles"]] == [
            (slug, "Ink is wet.", ["ink", "craft"])
        ]
        assert [(c["article"], c["body"]) for c in document["comments"]] == [(slug, "Agreed")]
        assert (document["favorites"], document["following"]) == ([slug], ["reader"])
        assert http.get(job["result"]["url"], headers=bearer(reader["token"])).status_code == 404


def _finished(http: httpx.Client, location: str, token: str, timeout: float = 20.0) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, object] = http.get(location, headers=bearer(token)).json()["job"]
        if job["status"] in ("succeeded", "failed", "dead"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"{location} did not finish")


