"""Data export: queueing the job, following it at /api/jobs/{id}, and downloading the document it built."""

import re
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from dependency_injector import providers
from fastapi import FastAPI

from adapters.memory.clock import FixedClock
from entrypoints.http.app import create_app
from tests.http.conftest import auth, make_settings, register
from tests.http.jobs_support import job_ids, make_admin, run_jobs, serve

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
JOB_NOT_FOUND = {"errors": {"job": ["not found"]}}


async def request_export(client: httpx.AsyncClient, token: str) -> httpx.Response:
    response = await client.post("/api/user/export", headers=auth(token))
    assert response.status_code == 202, response.text
    return response


async def job(client: httpx.AsyncClient, token: str, job_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/jobs/{job_id}", headers=auth(token))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()["job"]
    return found


async def some_activity(client: httpx.AsyncClient, user: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Through the API: an article with tags by `user`, a comment and a favorite on `other`'s article, a follow."""
    mine = await client.post("/api/articles", headers=auth(user["token"]), json={"article": {
        "title": "Exported title", "description": "Exported description", "body": "The exported body",
        "tagList": ["export", "data"],
    }})
    assert mine.status_code == 201, mine.text
    theirs = await client.post("/api/articles", headers=auth(other["token"]), json={"article": {
        "title": "Their title", "description": "d", "body": "Their body"}})
    assert theirs.status_code == 201, theirs.text
    slug = theirs.json()["article"]["slug"]
    comment = await client.post(f"/api/articles/{slug}/comments", headers=auth(user["token"]),
                                json={"comment": {"body": "An exported comment"}})
    assert comment.status_code in (200, 201), comment.text
    assert (await client.post(f"/api/articles/{slug}/favorite", headers=auth(user["token"]))).status_code == 200
    follow = await client.post(f"/api/profiles/{other['username']}/follow", headers=auth(user["token"]))
    assert follow.status_code == 200
    return {"article": mine.json()["article"], "favorited": slug, "comment": comment.json()["comment"]}


async def test_requesting_an_export_answers_202_with_the_queued_job_and_its_location(
    client: httpx.AsyncClient,
) -> None:
    user = await register(client)
    response = await client.post("/api/user/export", headers=auth(user["token"]))
    assert response.status_code == 202
    body = response.json()
    assert list(body) == ["job"]
    queued = body["job"]
    assert uuid.UUID(queued["id"])
    assert {key: queued[key] for key in ("type", "status", "progress", "attempts", "error", "result")} == {
        "type": "build_export", "status": "queued", "progress": 0, "attempts": 0, "error": None, "result": None,
    }
    assert TIMESTAMP.match(queued["createdAt"]) and TIMESTAMP.match(queued["updatedAt"])
    assert set(queued) == {"id", "type", "status", "progress", "attempts", "createdAt", "updatedAt", "error", "result"}
    assert response.headers["Location"] == f"/api/jobs/{queued['id']}"


async def test_requesting_an_export_without_a_token_is_401(app: FastAPI, client: httpx.AsyncClient) -> None:
    response = await client.post("/api/user/export")
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}
    assert job_ids(app, "build_export") == []


async def test_each_request_queues_its_own_export(client: httpx.AsyncClient) -> None:
    user = await register(client)
    first = (await request_export(client, user["token"])).json()["job"]["id"]
    second = (await request_export(client, user["token"])).json()["job"]["id"]
    assert first != second


async def test_the_owner_follows_the_job_at_its_location(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await request_export(client, user["token"])
    followed = await client.get(response.headers["Location"], headers=auth(user["token"]))
    assert followed.status_code == 200
    assert followed.json() == response.json()


async def test_another_users_job_is_not_found(client: httpx.AsyncClient) -> None:
    owner, stranger = await register(client), await register(client)
    location = (await request_export(client, owner["token"])).headers["Location"]
    response = await client.get(location, headers=auth(stranger["token"]))
    assert response.status_code == 404
    assert response.json() == JOB_NOT_FOUND


async def test_an_unknown_job_is_not_found_like_another_users(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.get(f"/api/jobs/{uuid.uuid4()}", headers=auth(user["token"]))
    assert response.status_code == 404
    assert response.json() == JOB_NOT_FOUND


async def test_an_administrator_may_read_anyones_job(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, admin = await register(client), await register(client)
    queued = (await request_export(client, owner["token"])).json()["job"]
    await make_admin(app, admin["username"])
    response = await client.get(f"/api/jobs/{queued['id']}", headers=auth(admin["token"]))
    assert response.status_code == 200
    assert response.json()["job"] == queued


async def test_reading_a_job_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    user = await register(client)
    location = (await request_export(client, user["token"])).headers["Location"]
    response = await client.get(location)
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}


async def test_a_malformed_job_id_is_422(client: httpx.AsyncClient) -> None:
    user = await register(client)
    for job_id in ("not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g"):
        for path in (f"/api/jobs/{job_id}", f"/api/jobs/{job_id}/result"):
            response = await client.get(path, headers=auth(user["token"]))
            assert response.status_code == 422, path
            assert list(response.json()["errors"]) == ["job_id"]


async def test_once_run_the_export_has_succeeded_with_a_download_url(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    queued = (await request_export(client, user["token"])).json()["job"]
    await run_jobs(app)
    done = await job(client, user["token"], queued["id"])
    assert (done["status"], done["progress"], done["attempts"], done["error"]) == ("succeeded", 100, 1, None)
    assert done["result"]["url"] == f"/api/jobs/{queued['id']}/result"
    assert set(done["result"]) == {"url", "expiresAt"}
    expires_at = datetime.fromisoformat(done["result"]["expiresAt"])
    assert timedelta(hours=23) < expires_at - datetime.now(UTC) <= timedelta(hours=24)
    assert done["createdAt"] == queued["createdAt"] and done["updatedAt"] >= queued["updatedAt"]


async def test_the_download_is_a_json_attachment_with_the_users_data(app: FastAPI, client: httpx.AsyncClient) -> None:
    user, other = await register(client), await register(client)
    activity = await some_activity(client, user, other)
    job_id = (await request_export(client, user["token"])).json()["job"]["id"]
    await run_jobs(app)
    url = (await job(client, user["token"], job_id))["result"]["url"]

    response = await client.get(url, headers=auth(user["token"]))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and job_id in disposition
    assert response.headers["content-length"] == str(len(response.content))
    assert response.headers["cache-control"] == "no-store"
    document = response.json()
    assert document["format"] == "inkwell-export/1"
    assert document["account"]["username"] == user["username"]
    assert document["account"]["email"] == user["email"]
    assert document["account"]["emailVerified"] is False
    (article,) = document["articles"]
    assert article["slug"] == activity["article"]["slug"]
    assert article["body"] == "The exported body"
    assert sorted(article["tagList"]) == ["data", "export"]
    (comment,) = document["comments"]
    assert comment["body"] == "An exported comment" and comment["article"] == activity["favorited"]
    assert document["favorites"] == [activity["favorited"]]
    assert document["following"] == [other["username"]]
    assert "Their body" not in response.text  # another author's article is not part of this user's data
    assert "password" not in response.text and "hash" not in response.text


async def test_the_download_of_an_idle_user_has_empty_sections(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    job_id = (await request_export(client, user["token"])).json()["job"]["id"]
    await run_jobs(app)
    document = (await client.get(f"/api/jobs/{job_id}/result", headers=auth(user["token"]))).json()
    assert (document["articles"], document["comments"], document["favorites"], document["following"]) == (
        [], [], [], []
    )


async def test_another_user_cannot_download_the_export(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, stranger = await register(client), await register(client)
    job_id = (await request_export(client, owner["token"])).json()["job"]["id"]
    await run_jobs(app)
    response = await client.get(f"/api/jobs/{job_id}/result", headers=auth(stranger["token"]))
    assert response.status_code == 404
    assert response.json() == JOB_NOT_FOUND


async def test_an_administrator_may_download_anyones_export(app: FastAPI, client: httpx.AsyncClient) -> None:
    owner, admin = await register(client), await register(client)
    job_id = (await request_export(client, owner["token"])).json()["job"]["id"]
    await run_jobs(app)
    await make_admin(app, admin["username"])
    response = await client.get(f"/api/jobs/{job_id}/result", headers=auth(admin["token"]))
    assert response.status_code == 200
    assert response.json()["account"]["username"] == owner["username"]


async def test_downloading_without_a_token_is_401(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    job_id = (await request_export(client, user["token"])).json()["job"]["id"]
    await run_jobs(app)
    response = await client.get(f"/api/jobs/{job_id}/result")
    assert response.status_code == 401


async def test_downloading_before_the_job_ran_is_409(client: httpx.AsyncClient) -> None:
    user = await register(client)
    job_id = (await request_export(client, user["token"])).json()["job"]["id"]
    response = await client.get(f"/api/jobs/{job_id}/result", headers=auth(user["token"]))
    assert response.status_code == 409
    assert response.json() == {"errors": {"export": ["is not ready yet"]}}


async def test_the_result_of_a_job_that_is_not_an_export_is_not_found(app: FastAPI, client: httpx.AsyncClient) -> None:
    user = await register(client)
    await run_jobs(app)
    (mail_job,) = job_ids(app, "send_verification_mail")
    assert (await job(client, user["token"], mail_job))["status"] == "succeeded"  # the owner may read the job
    response = await client.get(f"/api/jobs/{mail_job}/result", headers=auth(user["token"]))
    assert response.status_code == 404
    assert response.json() == {"errors": {"export": ["not found"]}}


async def test_an_expired_export_is_410() -> None:
    clock = FixedClock(datetime.now(UTC))
    app = create_app(make_settings())
    app.state.container.clock.override(providers.Object(clock))
    async with serve(app) as client:
        user = await register(client)
        job_id = (await request_export(client, user["token"])).json()["job"]["id"]
        await run_jobs(app)
        clock.advance(timedelta(hours=24, seconds=1))
        relogged = await client.post(
            "/api/users/login", json={"user": {"email": user["email"], "password": user["password"]}}
        )
        response = await client.get(f"/api/jobs/{job_id}/result", headers=auth(relogged.json()["user"]["token"]))
        assert response.status_code == 410
        assert response.json() == {"errors": {"export": ["has expired"]}}
