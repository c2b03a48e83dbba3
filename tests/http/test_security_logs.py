"""Checklist item 26: the security events are log lines, one JSON object each, that hold no secret and that
a client's input cannot split or forge."""

import json

import httpx
import pytest

from entrypoints.http.app import create_app
from tests.http.conftest import auth, make_settings, register
from tests.http.jobs_support import mails_to, run_jobs, serve, token_in

API_KEY = "a-service-api-key-of-at-least-32-bytes"
WRONG_API_KEY = "a-guessed-service-api-key-also-32-bytes"
PASSWORD = "jake's secret passphrase"
NEW_PASSWORD = "jake's brand new passphrase"
INJECTED = 'jake@example.com\r\n{"level": "critical", "event": "forged"}'


async def log_in(client: httpx.AsyncClient, email: str, password: str, request_id: str) -> httpx.Response:
    return await client.post("/api/users/login", json={"user": {"email": email, "password": password}},
                       headers={"X-Request-ID": request_id})


async def test_checklist_26_security_events_are_logged_as_json_without_secrets_or_forged_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = create_app(make_settings(log_level="INFO", service_api_key=API_KEY))  # logs to the captured stderr
    secrets = [PASSWORD, NEW_PASSWORD, API_KEY, WRONG_API_KEY]
    async with serve(app) as client:
        jake = await register(client, "jake", password=PASSWORD)
        jane = await register(client, "jane")
        secrets += [jake["token"], jake["refreshToken"], jane["token"], jane["refreshToken"]]

        signed_in = await log_in(client, "jake@example.com", PASSWORD, "probe-login")
        assert signed_in.status_code == 200, signed_in.text
        session = signed_in.json()["user"]
        secrets += [session["token"], session["refreshToken"], f"Token {session['token']}"]
        assert (await log_in(client, "jake@example.com", "not the passphrase", "probe-wrong")).status_code == 401
        assert (await log_in(client, INJECTED, PASSWORD, "probe-injected")).status_code == 401

        rotated = await client.post("/api/auth/refresh", json={"refresh_token": session["refreshToken"]})
        assert rotated.status_code == 200, rotated.text
        secrets += [rotated.json()["access_token"], rotated.json()["refresh_token"]]
        reused = await client.post("/api/auth/refresh", json={"refresh_token": session["refreshToken"]})
        assert reused.status_code == 401

        assert (await client.post("/api/auth/logout", headers=auth(jake["token"]))).status_code == 204

        assert (await client.post("/api/auth/forgot-password", json={"email": "jake@example.com"})).status_code == 202
        await run_jobs(app)
        reset_token = token_in(mails_to(app, "jake@example.com", "reset_password")[-1])
        secrets.append(reset_token)
        reset = await client.post("/api/auth/reset-password", json={"token": reset_token, "password": NEW_PASSWORD})
        assert reset.status_code == 204, reset.text

        again = await log_in(client, "jake@example.com", NEW_PASSWORD, "probe-again")
        assert again.status_code == 200, again.text
        token = again.json()["user"]["token"]
        secrets += [token, again.json()["user"]["refreshToken"]]
        article = await client.post("/api/articles", headers=auth(jane["token"]), json={"article": {
            "title": "Jane's own", "description": "d", "body": "b"}})
        assert article.status_code == 201, article.text
        refused = await client.delete(f"/api/articles/{article.json()['article']['slug']}",
                                      headers={**auth(token), "X-Request-ID": "probe-403"})
        assert refused.status_code == 403
        assert (await client.get("/metrics", headers={"X-API-Key": WRONG_API_KEY})).status_code == 403
        assert (await client.get("/metrics", headers={"X-API-Key": API_KEY})).status_code == 200

    stderr = capsys.readouterr().err
    lines = [json.loads(line) for line in stderr.splitlines()]  # every line is one JSON object
    assert lines and all(isinstance(line, dict) for line in lines)
    assert [secret for secret in secrets if secret in stderr] == []
    # The CR/LF arrived inside one JSON string and was cleaned there: it started no line of its own.
    assert [line for line in lines if line.get("event") == "forged" or line["level"] == "critical"] == []

    audit = [line for line in lines if line["logger"] == "inkwell.audit"]
    by_request = {line["request_id"]: line for line in audit}
    succeeded, wrong, injected = by_request["probe-login"], by_request["probe-wrong"], by_request["probe-injected"]
    jake_id = succeeded["actor_id"]
    assert (succeeded["event"], succeeded["level"], succeeded["target_id"]) == ("login_succeeded", "info", jake_id)
    assert (wrong["event"], wrong["level"], wrong["actor_id"], wrong["target_id"]) == (
        "login_failed", "warning", None, jake_id)
    assert injected["event"] == "login_failed"
    assert injected["target"] == 'jake@example.com\ufffd\ufffd{"level": "critical", "event": "forged"}'
    assert all(line["client_address"] for line in audit)
    assert {(line["event"], line["target_id"]) for line in audit} >= {
        ("refresh_reused", jake_id), ("logged_out", jake_id), ("password_reset", jake_id),
    }

    [forbidden] = [line for line in lines if line["event"] == "forbidden"
                   and line["route"] == "/api/articles/{slug}"]
    assert (forbidden["logger"], forbidden["level"], forbidden["method"]) == ("inkwell.security", "warning", "DELETE")
    assert (forbidden["user_id"], forbidden["request_id"]) == (jake_id, "probe-403")
    [refused_key] = [line for line in lines if line["event"] == "forbidden" and line["route"] == "/metrics"]
    assert refused_key["user_id"] is None
