"""Jobs in the embedded default: Dramatiq's in-process broker and a few worker threads inside `inkwell serve`."""

import logging

from dramatiq import Worker

from entrypoints.settings import Settings
from entrypoints.worker.setup import worker_runtime

log = logging.getLogger("inkwell.jobs")

THREADS = 2
IDLE_POLL_MS = 100
SHUTDOWN_TIMEOUT_MS = 30_000


class EmbeddedWorker:
    """The same actors and middleware as `inkwell worker`, on a broker that lives in this process. Jobs
    outlive the process in the job table: those queued or interrupted run after the next start."""

    def __init__(self, settings: Settings) -> None:
        self._runtime = worker_runtime(settings)
        self._worker = Worker(self._runtime.broker, worker_threads=THREADS, worker_timeout=IDLE_POLL_MS)

    def start(self) -> None:
        self._worker.start()
        log.info("embedded_worker_started", extra={"threads": THREADS})

    def stop(self) -> None:
        """Let running jobs finish (up to the shutdown timeout), then stop."""
        self._worker.stop(timeout=SHUTDOWN_TIMEOUT_MS)
        log.info("embedded_worker_stopped")
