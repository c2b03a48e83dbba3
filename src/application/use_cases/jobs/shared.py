"""What the job use cases share: finding a job the caller may see, and what its owner may read of it."""

from dataclasses import replace

from application.actor import Actor
from application.ports.queries import JobQueries
from application.views import JobView
from domain.errors import NotFound
from domain.ids import JobId

# Failure details name servers and internals: administrators read them, owners read this.
OWNER_ERROR = "an attempt failed"


async def visible_job(jobs: JobQueries, actor: Actor, job_id: JobId) -> JobView:
    """The job as `actor` may see it. Raises NotFound for a job that is not theirs, as for none at all,
    so that ids of other users' jobs cannot be probed."""
    view = await jobs.job(job_id)
    if view is None or not (actor.is_admin or view.owner_id == actor.user_id):
        raise NotFound("not found", field="job")
    if actor.is_admin or view.error is None:
        return view
    return replace(view, error=OWNER_ERROR)
