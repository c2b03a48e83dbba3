"""Metrics of real processes: `inkwell worker` with WORKER_METRICS_PORT serves its job counts and durations,
summed from its worker processes, to holders of the service API key, and stops serving when it stops;
`inkwell serve` in the embedded default runs jobs too, but opens no worker metrics port, and answers
/metrics itself."""

import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.conftest import running_server
from tests.e2e.production import production_stack, register
from tests.smtp_sink import free_port, smtp_sink

pytestmark = pytest.mark.e2e
KEY = "a-service-api-key-of-at-least-32-bytes"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples_of(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape_until(url: str, ready: Callable[[Samples], bool], timeout: float = 20.0) -> Samples:
    """Scrape `url` with the key until `ready` holds for what it shows (a worker process writes its values
    as it goes; the exposition process starts once the workers have booted)."""
    deadline = time.monotonic() + timeout
    seen: Samples = {}
    while time.monotonic() < deadline:
        try:
            response = httpx.get(url, headers={"X-API-Key": KEY}, timeout=2)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        assert response.status_code == 200, response.text
        seen = samples_of(response.text)
        if ready(seen):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"{url} never showed what was expected; last seen: {seen}")


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def jobs(samples: Samples, outcome: str) -> float | None:
    labels = frozenset({"type": "send_verification_mail", "outcome": outcome}.items())
    return samples.get(("inkwell_worker_jobs_total", labels))


@pytest.mark.postgres
@pytest.mark.redis
def test_the_worker_serves_its_job_metrics_to_holders_of_the_key_while_it_runs(tmp_path: Path) -> None:
    port = free_port()
    scratch = tmp_path / "scratch"  # where `inkwell worker` makes its metrics directory
    scratch.mkdir()
    url = f"http://127.0.0.1:{port}/metrics"
    with smtp_sink(refuse=["refused@example.com"]) as sink, production_stack(
        tmp_path, "redis", sink, SERVICE_API_KEY=KEY, RATE_LIMITS_ENABLED="false"
    ) as stack:
        with stack.worker(WORKER_METRICS_PORT=str(port), TMPDIR=str(scratch)), stack.serve() as http:
            register(http, "writer")
            register(http, "refused")  # the mail server refuses the address: the job fails for good
            stack.wait_for_job("send_verification_mail", "succeeded", owner="writer")
            stack.wait_for_job("send_verification_mail", "failed", owner="refused")
            samples = scrape_until(url, lambda seen: jobs(seen, "succeeded") == 1 and jobs(seen, "failed") == 1)
            of_type = frozenset({"type": "send_verification_mail"}.items())
            assert samples[("inkwell_worker_job_duration_seconds_count", of_type)] == 2
            assert samples[("inkwell_worker_jobs_running", of_type)] == 0
            assert any(scratch.iterdir())  # the run's metrics directory

            missing = httpx.get(url)
            assert missing.status_code == 401 and missing.json() == {"errors": {"api key": ["is missing"]}}
            wrong = httpx.get(url, headers={"X-API-Key": KEY.upper()})
            assert wrong.status_code == 403 and wrong.json() == {"errors": {"api key": ["is invalid"]}}
            elsewhere = httpx.get(f"http://127.0.0.1:{port}/", headers={"X-API-Key": KEY})
            assert elsewhere.status_code == 404 and elsewhere.json() == {"errors": {"request": ["not found"]}}
        # Stopped: the port is closed, and the directory of the run's values is gone.
        assert not listening(port)
        assert list(scratch.iterdir()) == []


def test_the_embedded_worker_opens_no_port_and_the_server_answers_metrics(tmp_path: Path) -> None:
    port = free_port()
    with running_server(tmp_path, {"SERVICE_API_KEY": KEY, "WORKER_METRICS_PORT": str(port)}) as base:
        http = httpx.Client(base_url=base)
        registered = http.post("/api/users", json={"user": {
            "username": "embedded", "email": "embedded@example.com", "password": "a long and unusual passphrase"}})
        assert registered.status_code == 201
        samples = scrape_until(
            f"{base}/metrics", lambda seen: seen.get(("inkwell_jobs", frozenset({"status": "succeeded"}.items()))) == 1
        )
        assert samples[("inkwell_http_requests_total",
                        frozenset({"method": "POST", "route": "/api/users", "status": "201"}.items()))] == 1
        assert not listening(port)
        assert http.get("/metrics", headers={"Authorization": f"Bearer {registered.json()['user']['token']}"}
                        ).status_code == 401
        http.close()


def test_the_worker_command_imports_no_metrics_client_before_it_sets_the_metrics_directory() -> None:
    """prometheus_client picks its multi-process mode on import: imported by `inkwell`'s own modules, it would
    be too early for the worker processes, and `inkwell worker` would refuse to export metrics."""
    probe = "import sys, entrypoints.cli; sys.exit('prometheus_client' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], check=False, timeout=60).returncode == 0  # noqa: S603
