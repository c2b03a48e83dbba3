"""Helpers for HTTP tests of the job-backed endpoints: running jobs on demand, mails, admins, failing mailers.

Jobs do not run by themselves in HTTP tests: `run_jobs` relays and runs every due job until none is left.
"""

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI

from application.ports.mail import Mail
from domain.jobs import JobStatus
from domain.users import Role, Username


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client for an app a test built itself, as the `client` fixture gives one for the default app."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as http:
            yield http


async def run_jobs(app: FastAPI) -> int:
    """Relay and run every due job, and the jobs those queue, until nothing runs; return how many ran."""
    container = app.state.container
    ran = 0
    while True:
        await container.relay_jobs()()
        done: int = await container.queue.queue().run_waiting(container.run_job())
        if not done:
            return ran
        ran += done


async def run_until(app: FastAPI, job_id: str, status: JobStatus, *, rounds: int = 40) -> None:
    """Run jobs round after round, waiting for retries to come due, until the job has `status`."""
    for _ in range(rounds):
        await run_jobs(app)
        if job_status(app, job_id) is status:
            return
        await asyncio.sleep(0.02)  # the relay publishes a retry only once its run_after has passed
    raise AssertionError(f"job {job_id} is {job_status(app, job_id)}, not {status}")


def job_status(app: FastAPI, job_id: str) -> JobStatus:
    jobs = app.state.container.storage.database().jobs
    (job,) = [job for key, job in jobs.items() if str(key) == job_id]
    status: JobStatus = job.status
    return status


def job_ids(app: FastAPI, job_type: str) -> list[str]:
    """The ids of every stored job of `job_type`, oldest first."""
    jobs = app.state.container.storage.database().jobs.values()
    return [str(job.id) for job in sorted(jobs, key=lambda job: job.created_at) if job.type == job_type]


def sent(app: FastAPI) -> list[Mail]:
    """What the in-memory mailer of the `test` profile was given to send, in order."""
    mails: list[Mail] = app.state.container.mail.mailer().sent
    return mails


def mails_to(app: FastAPI, address: str, template: str | None = None) -> list[Mail]:
    return [mail for mail in sent(app) if mail.to == address and (template is None or mail.template == template)]


def token_in(mail: Mail) -> str:
    """The `token` query parameter of the mail's link (the frontend page that posts it to the API)."""
    assert mail.link is not None, mail
    (token,) = parse_qs(urlsplit(mail.link).query)["token"]
    return token


async def make_admin(app: FastAPI, username: str) -> None:
    await set_role(app, username, Role.ADMIN)


async def set_role(app: FastAPI, username: str, role: Role) -> None:
    """Change a stored user's role through the container's unit of work, as an operator's tool would."""
    async with app.state.container.storage.uow() as uow:
        user = await uow.users.by_username(Username(username))
        assert user is not None
        user.change_role(role, now=datetime.now(UTC))
        await uow.users.save(user)
        await uow.commit()


class BrokenMailer:
    """A mailer whose server refuses everything: each job that sends mail fails its attempt."""

    def __init__(self) -> None:
        self.calls = 0

    async def send(self, mails: Sequence[Mail]) -> None:
        self.calls += 1
        raise ConnectionRefusedError("smtp.test refused the connection")
