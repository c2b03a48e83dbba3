"""`inkwell serve` writes nothing but JSON on stderr, one object per line: uvicorn's own lines from start to
stop in every process, Inkwell's, Python's warnings, and one line per unhandled error, carrying its request id."""

import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.serving import serving, start

pytestmark = pytest.mark.e2e

TEST_APP = "tests.e2e.json_logs_app:create_app"


def test_every_line_on_stderr_is_json_with_two_workers_from_start_to_stop(tmp_path: Path) -> None:
    with serving(tmp_path, {"LOG_LEVEL": "INFO"}, "--workers", "2", app=TEST_APP) as server:
        with httpx.Client(base_url=server.base, timeout=10) as http:
            missing = http.get("/no-such-page", headers={"X-Request-ID": "json-logs-404"})
            failed = http.get("/test-only/fail", headers={"X-Request-ID": "json-logs-500"})
            warned = http.get("/test-only/warn")
        garbled = _send_raw(server.base, b"NOT HTTP AT ALL\r\n\r\n")
        exit_code = server.stop()
        records = server.records()  # every line parses, or the test fails here

    assert (missing.status_code, failed.status_code, warned.status_code, exit_code) == (404, 500, 200, 0)
    assert garbled.startswith(b"HTTP/1.1 400")
    uvicorn = [record["event"] for record in records if record["logger"] == "uvicorn.error"]
    assert "Started parent process" in " ".join(uvicorn) and "Stopping parent process" in " ".join(uvicorn)
    # Each worker process, spawned by uvicorn, logs its start and its stop as JSON too.
    assert len(_starting_with(uvicorn, "Started server process")) == 2
    assert len(_starting_with(uvicorn, "Application startup complete")) == 2
    assert len(_starting_with(uvicorn, "Finished server process")) == 2
    assert any(r["level"] == "warning" and r["event"] == "Invalid HTTP request received." for r in records)

    assert _only(records, logger="inkwell.access", request_id="json-logs-404")["status"] == 404
    error = _only(records, level="error", request_id="json-logs-500")
    assert error["event"] == "unhandled_error" and "RuntimeError: provoked failure" in error["exception"]
    warning = _only(records, logger="py.warnings")
    assert "UserWarning: provoked warning" in warning["event"]


def test_a_port_taken_is_one_json_error_line_and_a_failure(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = start(tmp_path, {"LOG_LEVEL": "INFO"}, port=taken.getsockname()[1])
        exit_code = server.process.wait(timeout=60)
    assert exit_code != 0
    [error] = [record for record in server.records() if record["level"] == "error"]
    assert error["logger"] == "uvicorn.error" and "address already in use" in error["event"]


def _starting_with(events: list[str], prefix: str) -> list[str]:
    return [event for event in events if event.startswith(prefix)]


def _only(records: list[dict[str, Any]], **fields: object) -> dict[str, Any]:
    [found] = [record for record in records if all(record.get(k) == v for k, v in fields.items())]
    return found


def _send_raw(base: str, request: bytes) -> bytes:
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        return connection.recv(1024)
