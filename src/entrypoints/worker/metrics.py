"""Metrics of `inkwell worker`: jobs run by type and outcome, how long they took, and those running now.

Dramatiq runs several worker processes, whose metrics are added up by prometheus_client's multi-process
mode: each process writes its values to files in a directory that `inkwell worker` makes for the run (and
removes after it), and one more process, which Dramatiq forks beside the workers, serves their sum on
WORKER_METRICS_HOST:WORKER_METRICS_PORT to holders of the service API key. The worker threads inside
`inkwell serve` (the embedded default) never export metrics and never open a port.

prometheus_client decides on its multi-process mode when it is first imported, from the environment, so it
is imported here only in the processes Dramatiq starts, once `exporting_metrics` has set the directory.
(Dramatiq's own Prometheus middleware is not used: it binds every interface on a port read from its own
environment variables, shares one directory under /tmp between all runs, so counts of earlier runs and of
other workers on the machine mix in, asks for no key, and counts deliveries rather than jobs.)
"""

import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from dramatiq.broker import Broker, MessageProxy
from dramatiq.middleware import Middleware
from dramatiq.worker import Worker

from entrypoints import logs
from entrypoints.service_key import HEADER, ServiceKey, Verdict
from entrypoints.settings import Settings

log = logging.getLogger("inkwell.jobs")

DIRECTORY_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


@contextmanager
def exporting_metrics(settings: Settings) -> Iterator[list[str]]:
    """For `inkwell worker`: the Dramatiq arguments that export the workers' metrics when WORKER_METRICS_PORT
    is set (none otherwise), with a fresh directory for the worker processes' values while the block runs."""
    if settings.worker_metrics_port is None:
        yield []
        return
    if "prometheus_client" in sys.modules:
        raise RuntimeError("prometheus_client was imported before the worker metrics directory was set; "
                           "the worker processes would not share their metrics")
    directory = tempfile.mkdtemp(prefix="inkwell-worker-metrics-")
    os.environ[DIRECTORY_VARIABLE] = directory
    try:
        yield ["--fork-function", f"{serve_metrics.__module__}:{serve_metrics.__name__}"]
    finally:
        os.environ.pop(DIRECTORY_VARIABLE, None)
        shutil.rmtree(directory, ignore_errors=True)


class JobMetrics(Middleware):
    """Counts the jobs each worker process runs, by type (the actor) and outcome: succeeded, failed (the
    attempt raised; the job status middleware decides between a retry and giving up) or skipped (a
    delivery of a job that is finished or running elsewhere), and times those that ran."""

    def __init__(self) -> None:
        self._started: dict[str, float] = {}
        # Made in each worker process once it has booted (see the module's docstring); None until then.
        self._runs: Any = None
        self._duration: Any = None
        self._running: Any = None

    def after_process_boot(self, broker: Broker) -> None:
        if DIRECTORY_VARIABLE not in os.environ:
            log.warning("worker_metrics_off", extra={"reason": "workers not started by `inkwell worker`"})
            return
        from prometheus_client import Counter, Gauge, Histogram

        # Not registered anywhere: the values go to the shared directory, from which `serve_metrics` reads.
        self._runs = Counter("inkwell_worker_jobs", "Job deliveries handled, by job type and outcome.",
                             ("type", "outcome"), registry=None)
        self._duration = Histogram("inkwell_worker_job_duration_seconds", "Time a job's handler ran, by job type.",
                                   ("type",), buckets=DURATION_BUCKETS, registry=None)
        self._running = Gauge("inkwell_worker_jobs_running", "Jobs running now, by job type.", ("type",),
                              registry=None, multiprocess_mode="livesum")

    def before_process_message(self, broker: Broker, message: MessageProxy) -> None:
        if self._runs is None:
            return
        self._started[message.message_id] = time.perf_counter()
        self._running.labels(message.actor_name).inc()

    def after_process_message(
        self, broker: Broker, message: MessageProxy, *, result: Any = None, exception: BaseException | None = None
    ) -> None:
        started = self._started.pop(message.message_id, None)
        if self._runs is None or started is None:
            return
        self._running.labels(message.actor_name).dec()
        self._duration.labels(message.actor_name).observe(time.perf_counter() - started)
        self._runs.labels(message.actor_name, "succeeded" if exception is None else "failed").inc()

    def after_skip_message(self, broker: Broker, message: MessageProxy) -> None:
        if self._runs is not None:
            self._runs.labels(message.actor_name, "skipped").inc()

    def after_worker_shutdown(self, broker: Broker, worker: Worker) -> None:
        if self._runs is None:
            return
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]  # its jobs stopped running


def serve_metrics() -> int:
    """The process Dramatiq forks beside the workers: serves their summed metrics until it is stopped."""
    settings = Settings()
    logs.configure(settings.log_level)
    host, port = settings.worker_metrics_host, settings.worker_metrics_port
    if port is None:
        return 0
    _Exposition.key = ServiceKey(settings.service_api_key)
    try:
        server = ThreadingHTTPServer((host, port), _Exposition)
    except OSError as error:
        log.error("worker_metrics_unavailable", extra={"host": host, "port": port, "error": str(error)})
        return 1
    server.daemon_threads = True
    log.info("worker_metrics_serving", extra={"host": host, "port": port})
    with server:
        server.serve_forever()
    return 0


class _Exposition(BaseHTTPRequestHandler):
    """`GET /metrics` with the service API key, answered as the API answers it; errors in its error model."""

    key = ServiceKey(None)
    timeout = 10  # seconds a client may take to send its request

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] != "/metrics":
            self._error(404, "request", "not found")
            return
        verdict = self.key.check(self.headers.get(HEADER))
        if verdict is Verdict.ACCEPTED:
            self._metrics()
        elif verdict is Verdict.DISABLED:
            self._error(404, "metrics", "are disabled until SERVICE_API_KEY is set")
        else:
            log.warning("service_key_refused", extra={"path": "/metrics", "verdict": verdict.value})
            if verdict is Verdict.MISSING:
                self._error(401, "api key", "is missing")
            else:
                self._error(403, "api key", "is invalid")

    def _metrics(self) -> None:
        from prometheus_client import CollectorRegistry, multiprocess
        from prometheus_client.exposition import choose_encoder

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        encode, content_type = choose_encoder(self.headers.get("Accept", ""))
        self._answer(200, content_type, encode(registry))

    def _error(self, status: int, field: str, message: str) -> None:
        self._answer(status, "application/json", json.dumps({"errors": {field: [message]}}).encode())

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes are not logged: one every few seconds would drown the job log."""
