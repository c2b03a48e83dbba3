"""Administration of jobs: listing dead ones and queueing them again once what killed them is mended.

A job dies here because the mailer refuses every mail; the app retries fast so that it dies in milliseconds.
"""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from dependency_injector import providers
from fastapi import FastAPI

from domain.jobs import JobStatus
from domain.users import Role
from entrypoints.http.app import create_app
from tests.http.conftest import auth, make_settings, register
from tests.http.jobs_support import (
    BrokenMailer,
    job_ids,
    job_status,
    mails_to,
    make_admin,
    run_jobs,
    run_until,
    serve,
    set_role,
    token_in,
)

FORBIDDEN = {"errors": {"admin": ["only administrators may do this"]}}


@pytest.fixture
def app() -> FastAPI:
    """Two attempts per job, 10-20 ms apart."""
    return create_app(make_settings(job_max_attempts=2, job_min_backoff_seconds=0.01, job_max_backoff_seconds=0.02))


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(app) as http:
        yield http


@pytest.fixture
def broken_mailer(app: FastAPI) -> BrokenMailer:
    """Every mail job fails its attempts until the test calls `mend_mailer`."""
    double = BrokenMailer()
    app.state.container.mail.last_overriding().mailer.override(providers.Object(double))
    return double


def mend_mailer(app: FastAPI) -> None:
    app.state.container.mail.last_overriding().mailer.reset_last_overriding()


async def admin(app: FastAPI, client: httpx.AsyncClient) -> dict[str, Any]:
    user = await register(client)
    await make_admin(app, user["username"])
    return user


async def dead_verification_mail(app: FastAPI, client: httpx.AsyncClient) -> tuple[dict[str, Any], str]:
    """Register a user whose verification mail job dies; return the user and the job's id."""
    user = await register(client)
    (job_id,) = [job for job in job_ids(app, "send_verification_mail") if job_status(app, job) is JobStatus.QUEUED]
    await run_until(app, job_id, JobStatus.DEAD)
    return user, job_id


async def list_jobs(client: httpx.AsyncClient, token: str, **params: Any) -> httpx.Response:
    return await client.get("/api/admin/jobs", headers=auth(token), params=params)


async def test_the_failing_mailer_reaches_the_mail_jobs_which_retry_then_die(
    app: FastAPI, client: httpx.AsyncClient, broken_mailer: BrokenMailer
) -> None:
    await register(client)
    (job_id,) = job_ids(app, "send_verification_mail")
    await run_jobs(app)
    assert job_status(app, job_id) is JobStatus.RETRYING
    await run_until(app, job_id, JobStatus.DEAD)
    assert broken_mailer.calls == 2  # one call per attempt, and no more once dead
    await run_jobs(app)
    assert broken_mailer.calls == 2


async def test_administrators_list_dead_jobs_with_their_last_error(
    app: FastAPI, client: httpx.AsyncClient, broken_mailer: BrokenMailer
) -> None:
    _, job_id = await dead_verification_mail(app, client)
    boss = await admin(app, client)
    response = await list_jobs(client, boss["token"], status="dead")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"jobs", "jobsCount"}
    assert body["jobsCount"] == 1
    (dead,) = body["jobs"]
    assert dead["id"] == job_id
    assert (dead["type"], dead["status"], dead["attempts"], dead["result"]) == (
        "send_verification_mail", "dead", 2, None
    )
    assert dead["error"] == "ConnectionRefusedError: smtp.test refused the connection"


async def test_the_owner_of_a_dead_job_sees_only_that_an_attempt_failed(
    app: FastAPI, client: httpx.AsyncClient, broken_mailer: BrokenMailer
) -> None:
    owner, job_id = await dead_verification_mail(app, client)
    seen = await client.get(f"/api/jobs/{job_id}", headers=auth(owner["token"]))
    assert seen.status_code == 200
    assert seen.json()["job"]["status"] == "dead"
    assert seen.json()["job"]["error"] == "an attempt failed"
    boss = await admin(app, client)
    as_admin = await client.get(f"/api/jobs/{job_id}", headers=auth(boss["token"]))
    assert as_admin.json()["job"]["error"].startswith("ConnectionRefusedError")


async def test_the_dead_list_leaves_out_jobs_of_other_statuses(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    await run_jobs(app)  # the admin's own verification mail succeeds
    dead = await list_jobs(client, boss["token"], status="dead")
    assert dead.json() == {"jobs": [], "jobsCount": 0}
    succeeded = (await list_jobs(client, boss["token"], status="succeeded")).json()
    assert succeeded["jobsCount"] == 1 and succeeded["jobs"][0]["status"] == "succeeded"


async def test_without_a_status_every_job_is_listed_newest_first(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    export = (await client.post("/api/user/export", headers=auth(boss["token"]))).json()["job"]
    body = (await list_jobs(client, boss["token"])).json()
    assert body["jobsCount"] == 2
    assert [job["type"] for job in body["jobs"]] == ["build_export", "send_verification_mail"]
    assert body["jobs"][0]["id"] == export["id"]


async def test_limit_and_offset_page_through_dead_jobs_while_the_count_covers_them_all(
    app: FastAPI, client: httpx.AsyncClient, broken_mailer: BrokenMailer
) -> None:
    dead = [(await dead_verification_mail(app, client))[1] for _ in range(3)]
    boss = await admin(app, client)
    first = (await list_jobs(client, boss["token"], status="dead", limit=2)).json()
    rest = (await list_jobs(client, boss["token"], status="dead", limit=2, offset=2)).json()
    assert first["jobsCount"] == rest["jobsCount"] == 3
    assert [job["id"] for job in first["jobs"]] + [job["id"] for job in rest["jobs"]] == dead[::-1]
    beyond = (await list_jobs(client, boss["token"], status="dead", offset=3)).json()
    assert beyond == {"jobs": [], "jobsCount": 3}


async def test_a_normal_user_may_not_list_jobs(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await list_jobs(client, user["token"], status="dead")
    assert response.status_code == 403
    assert response.json() == FORBIDDEN


async def test_listing_jobs_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/admin/jobs")
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}


async def test_the_status_filter_must_be_a_job_status(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    for status in ("buried", "DEAD", "", "1"):
        response = await list_jobs(client, boss["token"], status=status)
        assert response.status_code == 422, status
        assert list(response.json()["errors"]) == ["status"]


async def test_every_job_status_is_a_valid_filter(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    for status in JobStatus:
        response = await list_jobs(client, boss["token"], status=status.value)
        assert response.status_code == 200, status
        assert all(job["status"] == status.value for job in response.json()["jobs"])


async def test_paging_parameters_out_of_range_are_422(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    for name, value in (("limit", 0), ("limit", 101), ("limit", "x"), ("offset", -1), ("offset", 1_000_001)):
        response = await list_jobs(client, boss["token"], **{name: value})
        assert response.status_code == 422, (name, value)
        assert list(response.json()["errors"]) == [name]


async def test_paging_parameters_at_their_bounds_are_accepted(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    for limit, offset in ((1, 0), (100, 0), (20, 1_000_000)):
        response = await list_jobs(client, boss["token"], limit=limit, offset=offset)
        assert response.status_code == 200, (limit, offset)
        assert response.json()["jobsCount"] == 1


async def test_requeueing_a_dead_job_answers_202_with_it_queued_afresh(
    app: FastAPI, client: httpx.AsyncClient, broken_mailer: BrokenMailer
) -> None:
    _, job_id = await dead_verification_mail(app, client)
    boss = await admin(app, client)
    response = await client.post(f"/api/admin/jobs/{job_id}/requeue", headers=auth(boss["token"]))
    assert response.status_code == 202
    requeued = response.json()["job"]
    assert (requeued["id"], requeued["status"], requeued["attempts"], requeued["progress"]) == (job_id, "queued", 0, 0)
    assert (await list_jobs(client, boss["token"], status="dead")).json()["jobsCount"] == 0
    queued = (await list_jobs(client, boss["token"], status="queued")).json()["jobs"]
    assert job_id in [job["id"] for job in queued]


async def test_a_requeued_job_succeeds_once_the_mailer_works_again(
    app: FastAPI, client: httpx.AsyncClient, broken_mailer: BrokenMailer
) -> None:
    user, job_id = await dead_verification_mail(app, client)
    boss = await admin(app, client)
    await client.post(f"/api/admin/jobs/{job_id}/requeue", headers=auth(boss["token"]))
    mend_mailer(app)
    await run_jobs(app)
    done = (await client.get(f"/api/jobs/{job_id}", headers=auth(boss["token"]))).json()["job"]
    assert (done["status"], done["attempts"]) == ("succeeded", 1)
    (mail,) = mails_to(app, user["email"], "verify_email")
    assert (await client.post("/api/auth/verify-email", json={"token": token_in(mail)})).status_code == 204


async def test_a_requeued_job_that_succeeds_no_longer_shows_the_old_error(
    app: FastAPI, client: httpx.AsyncClient, broken_mailer: BrokenMailer
) -> None:
    _, job_id = await dead_verification_mail(app, client)
    boss = await admin(app, client)
    await client.post(f"/api/admin/jobs/{job_id}/requeue", headers=auth(boss["token"]))
    mend_mailer(app)
    await run_jobs(app)
    done = (await client.get(f"/api/jobs/{job_id}", headers=auth(boss["token"]))).json()["job"]
    assert done["status"] == "succeeded"
    assert done["error"] is None


async def test_requeueing_a_succeeded_job_is_409(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    await run_jobs(app)
    (job_id,) = job_ids(app, "send_verification_mail")
    response = await client.post(f"/api/admin/jobs/{job_id}/requeue", headers=auth(boss["token"]))
    assert response.status_code == 409
    assert response.json() == {"errors": {"job": ["only a dead or failed job can be queued again"]}}
    assert job_status(app, job_id) is JobStatus.SUCCEEDED


async def test_requeueing_a_job_still_queued_is_409(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    (job_id,) = job_ids(app, "send_verification_mail")
    response = await client.post(f"/api/admin/jobs/{job_id}/requeue", headers=auth(boss["token"]))
    assert response.status_code == 409


async def test_a_normal_user_may_not_requeue_even_their_own_dead_job(
    app: FastAPI, client: httpx.AsyncClient, broken_mailer: BrokenMailer
) -> None:
    owner, job_id = await dead_verification_mail(app, client)
    response = await client.post(f"/api/admin/jobs/{job_id}/requeue", headers=auth(owner["token"]))
    assert response.status_code == 403
    assert response.json() == FORBIDDEN
    assert job_status(app, job_id) is JobStatus.DEAD


async def test_requeueing_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post(f"/api/admin/jobs/{uuid.uuid4()}/requeue")
    assert response.status_code == 401


async def test_requeueing_an_unknown_job_is_404(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    response = await client.post(f"/api/admin/jobs/{uuid.uuid4()}/requeue", headers=auth(boss["token"]))
    assert response.status_code == 404
    assert response.json() == {"errors": {"job": ["not found"]}}


async def test_requeueing_a_malformed_id_is_422(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    response = await client.post("/api/admin/jobs/not-a-uuid/requeue", headers=auth(boss["token"]))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["job_id"]


async def test_a_user_made_admin_is_refused_again_once_demoted(app: FastAPI, client: httpx.AsyncClient) -> None:
    boss = await admin(app, client)
    assert (await list_jobs(client, boss["token"])).status_code == 200
    await set_role(app, boss["username"], Role.USER)
    # A demotion ends every session: the old token is refused outright, and a new one is a plain user's.
    assert (await list_jobs(client, boss["token"])).status_code == 401
    credentials = {"email": boss["email"], "password": boss["password"]}
    again = (await client.post("/api/users/login", json={"user": credentials})).json()["user"]
    assert (await list_jobs(client, again["token"])).status_code == 403

