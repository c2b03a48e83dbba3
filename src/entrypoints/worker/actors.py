"""One Dramatiq actor per job type. Each only performs its job: claiming it and recording how it went is
the JobStatus middleware's work, the same for every actor."""

import uuid

import dramatiq
from dramatiq.middleware import CurrentMessage

from domain.ids import JobId
from entrypoints.worker.runtime import WorkerRuntime


def declare_actors(runtime: WorkerRuntime) -> None:
    queues: dict[str, str] = runtime.container.config.job_queues()
    for job_type in runtime.container.job_types():

        def perform(job_id: str) -> None:
            message = CurrentMessage.get_current_message()
            attempt = runtime.attempt(message.message_id) if message else None
            if message is None or attempt is None:
                raise RuntimeError("a job ran without a claim; is the JobStatus middleware installed?")
            perform_job = runtime.container.perform_job()
            # Kept for the middleware rather than returned: Dramatiq warns of return values without a
            # results backend, and the job table is this worker's results backend.
            runtime.keep_result(message.message_id, runtime.run(perform_job(JobId(uuid.UUID(job_id)), attempt)))

        dramatiq.actor(actor_name=job_type, queue_name=queues[job_type], broker=runtime.broker)(perform)
