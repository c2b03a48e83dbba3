"""Hardening seen from a real uvicorn server: a chunked body over the cap is a 413, the answers carry the
security headers and name no server software, an unhandled error is one JSON log line (no plain-text
traceback from the server), and the embedded data files are readable by their owner only."""

import http.client
import json
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from entrypoints.cli import UVICORN_OPTIONS
from tests.e2e.conftest import free_port, running_server

pytestmark = pytest.mark.e2e

BODY_LIMIT = 1024
REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`inkwell serve` in the embedded default, in a fresh directory, with a small body cap."""
    workdir = tmp_path_factory.mktemp("hardening")
    with running_server(workdir, {"MAX_BODY_BYTES": str(BODY_LIMIT)}) as base:
        yield base, workdir


def exchange(base: str, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as raw bytes on a new connection and read the one answer."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname or "127.0.0.1", address.port or 80), timeout=10) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection)
        response.begin()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()


def chunked_post(path: str, chunks: list[bytes]) -> bytes:
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode()
    return head + b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def test_chunked_body_over_limit_is_413(embedded: tuple[str, Path]) -> None:
    base, _ = embedded
    status, headers, body = exchange(base, chunked_post("/api/users", [b" " * 1000] * 4))
    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"errors": {"body": ["is too large"]}}


def test_a_chunked_body_within_the_limit_is_read(embedded: tuple[str, Path]) -> None:
    base, _ = embedded
    login = b'{"user": {"email": "nobody@example.com", "password": "a long and unusual passphrase"}}'
    status, _, body = exchange(base, chunked_post("/api/users/login", [login[:20], login[20:]]))
    assert status == 401, body
    assert json.loads(body) == {"errors": {"credentials": ["invalid"]}}


def test_answers_carry_the_security_headers_and_no_server_banner(embedded: tuple[str, Path]) -> None:
    base, _ = embedded
    with httpx.Client(base_url=base) as client:
        api, docs = client.get("/api/tags"), client.get("/docs")
    for response in (api, docs):
        assert "server" not in response.headers
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert api.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert api.headers["cache-control"] == "no-store"
    assert "script-src 'self' 'sha256-" in docs.headers["content-security-policy"]


def test_embedded_data_files_are_readable_by_their_owner_only(embedded: tuple[str, Path]) -> None:
    base, workdir = embedded
    with httpx.Client(base_url=base) as client:
        registered = client.post("/api/users", json={"user": {
            "username": "owner-only", "email": "owner-only@example.com", "password": "a long and unusual passphrase"}})
    assert registered.status_code == 201, registered.text
    data_dir = workdir / "var"
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in data_dir.iterdir() if path.is_file()}
    assert {"inkwell.db", "inkwell.db-wal", "inkwell.db-shm", "secrets.json"} <= set(modes)
    assert set(modes.values()) == {0o600}, modes
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_an_unhandled_error_is_one_json_log_line_and_a_500_with_the_request_id(tmp_path: Path) -> None:
    """uvicorn run as `inkwell serve` runs it, on a test-only app with a route that fails."""
    port = free_port()
    launch = ("import uvicorn; from entrypoints.cli import UVICORN_OPTIONS; "
              f"uvicorn.run('tests.e2e.failing_app:create_app', factory=True, host='127.0.0.1', port={port}, "
              "log_level='warning', **UVICORN_OPTIONS)")
    assert UVICORN_OPTIONS["server_header"] is False
    output = tmp_path / "server.log"
    with output.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - this interpreter, our own test app
            [sys.executable, "-c", launch], cwd=REPOSITORY, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, server, output)
        response = httpx.get(f"{base}/test-only/fail", headers={"X-Request-ID": "e2e-probe-500"}, timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=15)
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "e2e-probe-500"
    assert "server" not in response.headers
    assert response.json() == {"errors": {"server": ["an unexpected error occurred"]}, "request_id": "e2e-probe-500"}
    lines = [line for line in output.read_text().splitlines() if line.strip()]
    assert "Exception in ASGI application" not in output.read_text()
    records = [json.loads(line) for line in lines]  # nothing but JSON: no plain-text traceback
    assert [(record["event"], record["request_id"]) for record in records] == [("unhandled_error", "e2e-probe-500")]


def _wait_for(base: str, server: subprocess.Popen[bytes], output: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the test server exited with {server.returncode}:\n{output.read_text()}")
        try:
            if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError("the test server did not answer in 30 s")
