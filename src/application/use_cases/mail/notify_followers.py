"""The job that mails one batch of followers about a new article."""

from typing import Any

from application.jobs.catalog import NotifyFollowers
from application.jobs.running import RunningJob
from application.links import FrontendLinks
from application.ports import mail
from application.ports.mail import Mail, Mailer
from application.ports.queries import RecipientQueries

CHUNK_SIZE = 25  # mails per SMTP connection, and how much a retry may send again


class NotifyFollowersHandler:
    """Mails the batch a chunk at a time, reporting progress after each chunk; a retry after a failure
    resumes at the first chunk not yet reported. Followers who were deactivated or lost their verified
    address since the batch was made are skipped, and so is a deleted article. The result counts the
    mails of the attempt that succeeded."""

    def __init__(self, *, recipients: RecipientQueries, links: FrontendLinks, mailer: Mailer) -> None:
        self._recipients = recipients
        self._links = links
        self._mailer = mailer

    async def __call__(self, job: RunningJob[NotifyFollowers]) -> dict[str, Any]:
        spec = job.spec
        article = await self._recipients.published_article(spec.article_id)
        if article is None:
            return {"sent": 0}
        reachable = {r.user_id: r for r in await self._recipients.recipients(list(spec.recipients))
                     if r.email_verified and r.is_active}
        total, sent = len(spec.recipients), 0
        for start in range(resume_index(job.progress, total), total, CHUNK_SIZE):
            chunk = [reachable[u] for u in spec.recipients[start:start + CHUNK_SIZE] if u in reachable]
            mails = [
                Mail(mail.NEW_ARTICLE, to=r.email, link=self._links.article(article.slug),
                     key=f"{spec.article_id}:{r.user_id}",
                     context={"username": r.username, "author": article.author.username, "title": article.title,
                              "description": article.description})
                for r in chunk
            ]
            if mails:
                await self._mailer.send(mails)
            sent += len(mails)
            await job.report(min(start + CHUNK_SIZE, total) * 100 // total)
        return {"sent": sent}


def resume_index(progress: int, total: int) -> int:
    """The first recipient not yet mailed, from the percentage reported after the last whole chunk.
    A batch has at most 100 recipients, so each is worth at least a percent and rounding up is exact."""
    return -(-progress * total // 100)
