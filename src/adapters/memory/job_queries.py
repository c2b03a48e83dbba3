"""In-memory read side of jobs and of the people the mail jobs write to."""

from adapters.memory.database import MemoryDatabase
from adapters.memory.queries import MemoryArticleQueries
from application.ports.queries import JobQueries, RecipientQueries
from application.views import ArticleView, JobPage, JobStats, JobView, Recipient
from domain.ids import ArticleId, JobId, UserId
from domain.jobs import Job, JobStatus
from domain.paging import Page


def job_view(job: Job) -> JobView:
    return JobView(
        id=job.id, type=job.type, status=job.status, progress=job.progress, attempts=job.attempts,
        owner_id=job.owner_id, created_at=job.created_at, updated_at=job.updated_at, error=job.last_error,
        result=dict(job.result) if job.result is not None else None,
    )


class MemoryJobQueries(JobQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def job(self, job_id: JobId) -> JobView | None:
        job = self._db.state.jobs.get(job_id)
        return None if job is None else job_view(job)

    async def jobs(self, *, status: JobStatus | None, page: Page) -> JobPage:
        matches = [job for job in self._db.state.jobs.values() if status is None or job.status is status]
        newest_first = sorted(matches, key=lambda job: (job.created_at, job.id), reverse=True)
        chosen = newest_first[page.offset : page.offset + page.limit]
        return JobPage(jobs=[job_view(job) for job in chosen], total=len(matches))

    async def stats(self) -> JobStats:
        every = list(self._db.state.jobs.values())
        queued_since = [job.queued_at for job in every if job.status is JobStatus.QUEUED]
        return JobStats(
            by_status={status: sum(1 for job in every if job.status is status) for status in JobStatus},
            oldest_queued_at=min(queued_since, default=None),
        )


class MemoryRecipientQueries(RecipientQueries):
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def recipient(self, user_id: UserId) -> Recipient | None:
        user = self._db.state.users.get(user_id)
        if user is None:
            return None
        return Recipient(user_id=user.id, email=user.email.value, username=user.username.value,
                         email_verified=user.is_verified, is_active=user.is_active)

    async def recipients(self, user_ids: list[UserId]) -> list[Recipient]:
        found = [await self.recipient(user_id) for user_id in dict.fromkeys(user_ids)]
        return [recipient for recipient in found if recipient is not None]

    async def notified_followers(self, author_id: UserId, *, after: UserId | None, limit: int) -> list[UserId]:
        state = self._db.state
        followers = sorted(
            follower for follower, followee in state.follows
            if followee == author_id and state.users[follower].is_active and state.users[follower].is_verified
        )
        return [follower for follower in followers if after is None or follower > after][:limit]

    async def published_article(self, article_id: ArticleId) -> ArticleView | None:
        article = self._db.state.articles.get(article_id)
        if article is None:
            return None
        return await MemoryArticleQueries(self._db).article(article.slug, viewer=None)
