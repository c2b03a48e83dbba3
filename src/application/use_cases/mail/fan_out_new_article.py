"""The job that splits the followers of an article's author into batches to notify."""

from typing import Any

from application.jobs.catalog import FanOutNewArticle, NotifyFollowers, job_key
from application.jobs.running import RunningJob
from application.jobs.triggers import queued
from application.ports.clock import Clock
from application.ports.persistence import UnitOfWork
from application.ports.queries import RecipientQueries
from application.tracing import current_request_id

BATCH_SIZE = 100


class FanOutNewArticleHandler:
    """Each run takes one page of followers (at most `batch_size`) and queues, in one transaction, the job
    that mails them and, when the page was full, the run for the next page. However many followers an
    author has, no job holds more than one page. Both jobs are keyed by the page, so a run that is
    repeated queues nothing twice."""

    def __init__(
        self, *, uow: UnitOfWork, recipients: RecipientQueries, clock: Clock, batch_size: int = BATCH_SIZE
    ) -> None:
        self._uow = uow
        self._recipients = recipients
        self._clock = clock
        self._batch_size = batch_size

    async def __call__(self, job: RunningJob[FanOutNewArticle]) -> dict[str, Any]:
        spec = job.spec
        page = await self._recipients.notified_followers(spec.author_id, after=spec.after, limit=self._batch_size)
        now, request_id = self._clock.now(), current_request_id.get()
        cursor = spec.after or "start"
        async with self._uow as uow:
            if page:
                batch = NotifyFollowers(spec.article_id, spec.author_id, tuple(page))
                await uow.jobs.add(queued(batch, now=now, request_id=request_id,
                                          key=job_key(batch.TYPE, spec.article_id, cursor)))
            if len(page) == self._batch_size:
                following = FanOutNewArticle(spec.article_id, spec.author_id, after=page[-1])
                await uow.jobs.add(queued(following, now=now, request_id=request_id,
                                          key=job_key(following.TYPE, spec.article_id, page[-1])))
            await uow.commit()
        return {"recipients": len(page)}
