"""Items of the security checklist shown over HTTP, one test each (items named in the test's name).

Items 20, 22, 23, 25, 26, 27, 28 and 29 have tests of their own, named alike, beside the feature they test.
"""

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from dependency_injector import providers
from fastapi import FastAPI

from domain.users import Username
from tests.doubles import CountingPasswordHasher
from tests.http.conftest import auth, register
from tests.http.jobs_support import make_admin


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/users/login", json={"user": {"email": email, "password": password}})


async def deactivate(app: FastAPI, username: str) -> None:
    async with app.state.container.storage.uow() as uow:
        user = await uow.users.by_username(Username(username))
        assert user is not None
        user.deactivate(now=datetime.now(UTC))
        await uow.users.save(user)
        await uow.commit()


def same_answer(first: httpx.Response, second: httpx.Response) -> None:
    assert (first.status_code, first.content) == (second.status_code, second.content)
    names = {*first.headers, *second.headers}
    assert {name for name in names if first.headers.get(name) != second.headers.get(name)} <= {"x-request-id"}


async def test_checklist_04_unknown_email_wrong_password_and_inactive_account_answer_alike_after_one_hash(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    hasher = CountingPasswordHasher()
    app.state.container.security.hasher.override(providers.Object(hasher))
    try:
        jake, jane = await register(client), await register(client)
        await deactivate(app, jane["username"])
        attempts = [
            ("nobody@example.com", "whatever password"),
            (jake["email"], "not jake's password"),
            (jane["email"], jane["password"]),  # the right password, on an inactive account
        ]
        answers = []
        for email, password in attempts:
            before = hasher.verifications
            answers.append(await log_in(client, email, password))
            assert hasher.verifications == before + 1, email
    finally:
        app.state.container.security.hasher.reset_override()
    assert answers[0].status_code == 401
    assert answers[0].json() == {"errors": {"credentials": ["invalid"]}}
    for answer in answers[1:]:
        same_answer(answers[0], answer)


async def test_checklist_07_forgot_password_and_resend_never_reveal_an_address(client: httpx.AsyncClient) -> None:
    jake = await register(client)
    known = await client.post("/api/auth/forgot-password", json={"email": jake["email"]})
    unknown = await client.post("/api/auth/forgot-password", json={"email": "nobody@example.com"})
    assert known.status_code == 202
    same_answer(known, unknown)
    # Registration's 409 for a taken address is RealWorld's and kept (decided); rate limits bound it.
    taken = await client.post("/api/users", json={"user": {
        "username": "someone", "email": jake["email"], "password": "correct horse"}})
    assert taken.status_code == 409


async def test_checklist_11_role_and_active_flag_are_read_on_every_request(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    jake = await register(client)
    headers = auth(jake["token"])
    assert (await client.get("/api/admin/jobs", headers=headers)).status_code == 403
    await make_admin(app, jake["username"])
    assert (await client.get("/api/admin/jobs", headers=headers)).status_code == 200  # the same token
    await deactivate(app, jake["username"])
    assert (await client.get("/api/user", headers=headers)).status_code == 401


async def test_checklist_17_log_out_ends_one_session_and_log_out_all_every_session(client: httpx.AsyncClient) -> None:
    jake = await register(client)
    second = (await log_in(client, jake["email"], jake["password"])).json()["user"]
    third = (await log_in(client, jake["email"], jake["password"])).json()["user"]

    assert (await client.post("/api/auth/logout", headers=auth(jake["token"]))).status_code == 204
    assert (await client.get("/api/user", headers=auth(jake["token"]))).status_code == 401
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": jake["refreshToken"]})
    assert refreshed.status_code == 401
    assert (await client.get("/api/user", headers=auth(second["token"]))).status_code == 200

    assert (await client.post("/api/auth/logout-all", headers=auth(second["token"]))).status_code == 204
    for user in (second, third):
        assert (await client.get("/api/user", headers=auth(user["token"]))).status_code == 401
        refreshed = await client.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})
        assert refreshed.status_code == 401


async def test_checklist_21_a_user_never_acts_on_another_users_article_or_comment(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    author, other, boss = await register(client), await register(client), await register(client)
    await make_admin(app, boss["username"])
    article: dict[str, Any] = {"article": {"title": "Mine", "description": "d", "body": "b", "tagList": []}}
    slug = (await client.post("/api/articles", json=article, headers=auth(author["token"]))).json()["article"]["slug"]
    comment = await client.post(f"/api/articles/{slug}/comments", json={"comment": {"body": "first"}},
                                headers=auth(author["token"]))
    comment_id = comment.json()["comment"]["id"]

    edit = {"article": {"title": "Theirs now"}}
    assert (await client.put(f"/api/articles/{slug}", json=edit, headers=auth(other["token"]))).status_code == 403
    assert (await client.delete(f"/api/articles/{slug}/comments/{comment_id}",
                                headers=auth(other["token"]))).status_code == 403
    assert (await client.delete(f"/api/articles/{slug}", headers=auth(other["token"]))).status_code == 403
    assert (await client.get(f"/api/articles/{slug}")).json()["article"]["title"] == "Mine"

    assert (await client.delete(f"/api/articles/{slug}/comments/{comment_id}",
                                headers=auth(boss["token"]))).status_code == 204
    assert (await client.delete(f"/api/articles/{slug}", headers=auth(boss["token"]))).status_code == 204


@pytest.mark.parametrize(("path", "params"), [
    ("/api/articles", {"limit": "101"}),
    ("/api/articles", {"offset": "-1"}),
    ("/api/articles", {"tag": "t" * 10_000}),
    ("/api/profiles/" + "u" * 500, {}),
])
async def test_checklist_24_every_string_and_page_size_is_bounded(
    client: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    response = await client.get(path, params=params)
    assert response.status_code in {404, 422}, response.text
    assert set(response.json()) == {"errors"}


async def test_checklist_24_a_body_over_the_limit_is_413_and_a_long_field_422(client: httpx.AsyncClient) -> None:
    jake = await register(client)
    huge = {"article": {"title": "t", "description": "d", "body": "b" * 3_000_000, "tagList": []}}
    too_big = await client.post("/api/articles", json=huge, headers=auth(jake["token"]))
    assert too_big.status_code == 413
    assert set(too_big.json()) == {"errors"}
    long_title = {"article": {"title": "t" * 10_000, "description": "d", "body": "b", "tagList": []}}
    refused = await client.post("/api/articles", json=long_title, headers=auth(jake["token"]))
    assert refused.status_code == 422
    assert "title" in refused.json()["errors"]
