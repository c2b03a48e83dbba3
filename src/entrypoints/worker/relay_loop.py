"""The outbox relay's loop: publish committed jobs as soon as the doorbell rings, recover lost ones now
and then, and delete expired exports. It runs in every worker process; relays side by side share the
work (the job rows they publish are locked, others skipped)."""

import asyncio
import contextlib
import logging
from datetime import timedelta

from application.errors import DependencyUnavailable
from application.use_cases.jobs.relay_jobs import BATCH_SIZE
from entrypoints.worker.runtime import WorkerRuntime

log = logging.getLogger("inkwell.jobs")

POLL_SECONDS = 1.0  # without a ring, look anyway: retries come due with no commit to announce them
HOUSEKEEPING_SECONDS = 10.0
MAX_BACKOFF_SECONDS = 30.0


async def relay_forever(runtime: WorkerRuntime, stop: asyncio.Event) -> None:
    container = runtime.container
    doorbell = container.storage.doorbell()
    republish_after: timedelta = container.config.job_republish_after()
    loop = asyncio.get_running_loop()
    # A broker that keeps messages only in this process's memory lost them all when the process last
    # stopped: every job published and still waiting is published again, at once.
    first_recovery = timedelta(0) if container.queue.forgets_on_restart() else republish_after
    housekeeping_due, failures = 0.0, 0
    log.info("relay_started")
    while not stop.is_set():
        try:
            published = await container.relay_jobs()()
            if loop.time() >= housekeeping_due:
                await container.recover_jobs()(republish_after=first_recovery)
                await container.purge_exports()()
                first_recovery = republish_after
                housekeeping_due = loop.time() + HOUSEKEEPING_SECONDS
            failures = 0
        except DependencyUnavailable as error:
            failures += 1
            log.warning("relay_waiting", extra={"dependency": error.dependency, "failures": failures})
            await _sleep_unless(stop, min(MAX_BACKOFF_SECONDS, 0.5 * 2**failures))
            continue
        except Exception:
            failures += 1
            log.exception("relay_failed")
            await _sleep_unless(stop, min(MAX_BACKOFF_SECONDS, 0.5 * 2**failures))
            continue
        if published < BATCH_SIZE:
            await doorbell.wait(POLL_SECONDS)
    log.info("relay_stopped")


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
