"""Exports: a job writes everything a user put into Inkwell into one JSON document, which its owner (or an
administrator) downloads until it expires."""

import json
from datetime import timedelta
from typing import Any

import pytest

from application.actor import Actor
from application.use_cases.exports.download_export import DownloadExport
from application.use_cases.exports.purge_exports import PurgeExports
from application.use_cases.exports.request_export import RequestExport
from application.use_cases.users.update_user import AccountChanges
from application.views import JobView
from domain.errors import Conflict, Gone, NotFound
from domain.ids import JobId, new_job_id
from domain.jobs import JobStatus
from domain.users import Role
from tests.builders import App, an_article, an_author, forget_user, jobs_of

TTL = timedelta(hours=24)  # the `test` profile's default


def request_export(app: App) -> RequestExport:
    return app.container.request_export()  # type: ignore[no-any-return]


def download_export(app: App) -> DownloadExport:
    return app.container.download_export()  # type: ignore[no-any-return]


async def downloaded(app: App, actor: Actor, job_id: JobId) -> dict[str, Any]:
    document = await download_export(app)(actor, job_id=job_id)
    content = b"".join([chunk async for chunk in document.chunks])
    assert document.size == len(content)
    parsed: dict[str, Any] = json.loads(content)
    return parsed


async def an_export(app: App, actor: Actor) -> JobView:
    view = await request_export(app)(actor)
    await app.run_jobs()
    return view


async def test_asking_returns_a_queued_job_of_the_caller(app: App, ann: Actor) -> None:
    view = await request_export(app)(ann)
    assert (view.type, view.status, view.progress, view.attempts) == ("build_export", JobStatus.QUEUED, 0, 0)
    assert view.owner_id == ann.user_id
    assert (view.error, view.result) == (None, None)
    assert app.db.jobs[view.id].owner_id == ann.user_id


async def test_the_job_succeeds_with_the_expiry_of_its_document(app: App, ann: Actor) -> None:
    view = await an_export(app, ann)
    done = await app.container.get_job()(ann, job_id=view.id)
    assert (done.status, done.progress) == (JobStatus.SUCCEEDED, 100)
    expected = (app.clock.now() + TTL).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert done.result == {"expiresAt": expected}


async def test_the_document_holds_everything_the_user_made(app: App, ann: Actor, rob: Actor) -> None:
    await app.update_user()(ann, AccountChanges(bio="I write", image="https://img.example/ann.png"))
    mine = await an_article(app, ann, title="Dragons", tags=("dragons", "training"))
    robs = await an_article(app, rob, title="Rob writes")
    await app.add_comment()(ann, slug=robs.slug, body="Nice one")
    await app.favorite_article()(ann, slug=robs.slug)
    await app.follow_user()(ann, username="rob")
    view = await an_export(app, ann)

    document = await downloaded(app, ann, view.id)

    assert document["format"] == "inkwell-export/1"
    account = document["account"]
    assert {key: account[key] for key in ("username", "email", "emailVerified", "role", "bio", "image")} == {
        "username": "ann", "email": "ann@example.com", "emailVerified": False, "role": "user", "bio": "I write",
        "image": "https://img.example/ann.png",
    }
    [article] = document["articles"]
    assert (article["slug"], article["title"], article["body"]) == (mine.slug, "Dragons", "You have to believe")
    assert sorted(article["tagList"]) == ["dragons", "training"]
    [comment] = document["comments"]
    assert (comment["article"], comment["body"]) == (robs.slug, "Nice one")
    assert document["favorites"] == [robs.slug]
    assert document["following"] == ["rob"]


async def test_an_empty_account_exports_empty_lists(app: App, ann: Actor) -> None:
    view = await an_export(app, ann)
    document = await downloaded(app, ann, view.id)
    assert [document[name] for name in ("articles", "comments", "favorites", "following")] == [[], [], [], []]


async def test_another_user_cannot_see_or_download_it(app: App, ann: Actor, rob: Actor) -> None:
    view = await an_export(app, ann)
    with pytest.raises(NotFound) as raised:
        await download_export(app)(rob, job_id=view.id)
    assert raised.value.field == "job"
    with pytest.raises(NotFound):
        await app.container.get_job()(rob, job_id=view.id)


async def test_an_administrator_may_download_it(app: App, ann: Actor) -> None:
    admin = await an_author(app, "boss", role=Role.ADMIN)
    view = await an_export(app, ann)
    assert (await downloaded(app, admin, view.id))["account"]["username"] == "ann"


async def test_an_unfinished_export_conflicts(app: App, ann: Actor) -> None:
    view = await request_export(app)(ann)
    with pytest.raises(Conflict) as raised:
        await download_export(app)(ann, job_id=view.id)
    assert raised.value.field == "export"


async def test_an_unknown_export_is_not_found(app: App, ann: Actor) -> None:
    with pytest.raises(NotFound):
        await download_export(app)(ann, job_id=new_job_id())


async def test_a_job_that_is_no_export_is_not_found(app: App, ann: Actor) -> None:
    [verification] = [job for job in app.db.jobs.values() if job.owner_id == ann.user_id]
    await app.run_jobs()
    with pytest.raises(NotFound) as raised:
        await download_export(app)(ann, job_id=verification.id)
    assert raised.value.field == "export"


async def test_an_export_past_its_expiry_is_gone(app: App, ann: Actor) -> None:
    view = await an_export(app, ann)
    app.clock.advance(TTL - timedelta(seconds=1))
    assert await downloaded(app, ann, view.id)
    app.clock.advance(timedelta(seconds=1))
    with pytest.raises(Gone) as raised:
        await download_export(app)(ann, job_id=view.id)
    assert raised.value.field == "export"


async def test_a_purged_export_is_gone(app: App, ann: Actor) -> None:
    view = await an_export(app, ann)
    app.exports.documents.clear()
    with pytest.raises(Gone):
        await download_export(app)(ann, job_id=view.id)


async def test_purging_deletes_the_documents_past_their_expiry(app: App, ann: Actor, rob: Actor) -> None:
    old = await an_export(app, ann)
    app.clock.advance(timedelta(hours=12))
    recent = await an_export(app, rob)
    purge: PurgeExports = app.container.purge_exports()
    assert await purge() == 0
    app.clock.advance(timedelta(hours=12, seconds=1))
    assert await purge() == 1
    assert set(app.exports.documents) == {recent.id}
    assert old.id not in app.exports.documents


async def test_an_export_of_a_vanished_account_fails_for_good(app: App, ann: Actor) -> None:
    view = await request_export(app)(ann)
    forget_user(app, ann.user_id)
    await app.run_jobs()
    [job] = jobs_of(app, "build_export")
    assert (job.id, job.status, job.attempts) == (view.id, JobStatus.FAILED, 1)
    assert job.last_error == "PermanentFailure: the account no longer exists"
    assert app.exports.documents == {}
