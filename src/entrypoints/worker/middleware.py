"""The worker's middleware: JobStatus keeps every job's row current; Relay runs the outbox relay."""

import asyncio
import concurrent.futures
import logging
import time
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from dramatiq.broker import Broker, MessageProxy
from dramatiq.middleware import Middleware, SkipMessage
from dramatiq.worker import Worker

from application.errors import DependencyUnavailable
from domain.ids import JobId
from entrypoints.container import close_resources
from entrypoints.worker.relay_loop import relay_forever
from entrypoints.worker.runtime import WorkerRuntime

log = logging.getLogger("inkwell.jobs")

# Waits between tries of a status write while the database is away; past them the job's lease lapses
# and the relay's recovery picks it up.
STATUS_RETRY_WAITS = (0.5, 1.0, 2.0, 4.0)


class JobStatus(Middleware):
    """Before a message is processed: claim its job, or skip a delivery that must do nothing (the job
    is finished, or running elsewhere). After: record the outcome, success or failure, on the claim."""

    def __init__(self, runtime: WorkerRuntime) -> None:
        self._runtime = runtime

    def before_process_message(self, broker: Broker, message: MessageProxy) -> None:
        job_id = _job_id(message)
        lifecycle = self._runtime.container.job_lifecycle()
        attempt = self._with_retries(lambda: lifecycle.begin(job_id), job_id)
        if attempt is None:
            raise SkipMessage()
        self._runtime.claimed(message.message_id, attempt)

    def after_process_message(
        self, broker: Broker, message: MessageProxy, *, result: Any = None, exception: BaseException | None = None
    ) -> None:
        attempt, kept = self._runtime.finished(message.message_id)
        if attempt is None:
            return
        job_id = _job_id(message)
        lifecycle = self._runtime.container.job_lifecycle()
        if exception is None:
            self._with_retries(lambda: lifecycle.succeed(job_id, attempt, kept), job_id)
        else:
            self._with_retries(lambda: lifecycle.fail(job_id, attempt, exception), job_id)

    def after_skip_message(self, broker: Broker, message: MessageProxy) -> None:
        self._runtime.finished(message.message_id)

    def _with_retries(self, step: Callable[[], Coroutine[Any, Any, Any]], job_id: JobId) -> Any:
        for wait in (*STATUS_RETRY_WAITS, None):
            try:
                return self._runtime.run(step())
            except DependencyUnavailable as error:
                if wait is None:  # a claim not made skips the delivery; an outcome not kept lapses with the lease
                    log.error("job_status_unwritable", extra={"job_id": str(job_id), "dependency": error.dependency})
                    return None
                time.sleep(wait)
        return None


class Relay(Middleware):
    """Runs the outbox relay on the worker's event loop from boot to shutdown, and closes the container's
    resources once the worker threads have stopped."""

    def __init__(self, runtime: WorkerRuntime) -> None:
        self._runtime = runtime
        self._stop: asyncio.Event | None = None
        self._relay: concurrent.futures.Future[None] | None = None

    def after_worker_boot(self, broker: Broker, worker: Worker) -> None:
        async def stop_signal() -> asyncio.Event:  # made on the loop it will be awaited on
            return asyncio.Event()

        self._stop = self._runtime.run(stop_signal())
        self._relay = self._runtime.submit(relay_forever(self._runtime, self._stop))

    def before_worker_shutdown(self, broker: Broker, worker: Worker) -> None:
        stop, relay = self._stop, self._relay
        if stop is None or relay is None:
            return

        async def halt() -> None:
            stop.set()

        self._runtime.run(halt())
        try:
            relay.result(timeout=10)
        except Exception:  # the relay logs its own failures; shutdown goes on
            log.exception("relay_stop_failed")

    def after_worker_shutdown(self, broker: Broker, worker: Worker) -> None:
        self._runtime.run(close_resources(self._runtime.container))


def _job_id(message: MessageProxy) -> JobId:
    return JobId(uuid.UUID(str(message.args[0])))
