"""Turning a broker into an Inkwell worker: the middleware, in order, and the actors."""

from dramatiq.middleware import AsyncIO, CurrentMessage, ShutdownNotifications

from entrypoints.settings import Settings
from entrypoints.worker.actors import declare_actors
from entrypoints.worker.metrics import JobMetrics
from entrypoints.worker.middleware import JobStatus, Relay
from entrypoints.worker.runtime import WorkerRuntime


def worker_runtime(settings: Settings, *, export_metrics: bool = False) -> WorkerRuntime:
    """A runtime whose broker has everything it needs to run Inkwell's jobs, and with `export_metrics` (the
    processes of `inkwell worker` only) metrics of them.

    No Retries, AgeLimit or TimeLimit middleware: retries, their backoff and a job's age are kept in
    the job table, where they survive a broker's restart, and the time limit is applied around the
    job's handler on the event loop. AsyncIO goes first, so that its loop runs before JobStatus and
    Relay need it and stops after they are done with it. JobMetrics goes last, so that it times only the
    job's handler: a delivery's claim runs before it and the record of its outcome after it.
    """
    runtime = WorkerRuntime(settings)
    broker = runtime.broker
    for middleware in (AsyncIO(), CurrentMessage(), ShutdownNotifications(), JobStatus(runtime), Relay(runtime)):
        broker.add_middleware(middleware)
    if export_metrics:
        broker.add_middleware(JobMetrics())
    declare_actors(runtime)
    return runtime
