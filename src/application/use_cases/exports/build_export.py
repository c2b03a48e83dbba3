"""The export job: one JSON document with everything a user put into Inkwell."""

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from application.errors import PermanentFailure
from application.jobs.catalog import BuildExport
from application.jobs.running import RunningJob
from application.ports.clock import Clock
from application.ports.exports import ExportStore
from application.ports.queries import UserDataQueries
from application.views import ExportedAccount, ExportedArticle, ExportedComment
from domain.ids import UserId
from domain.paging import MAX_LIMIT, Page

FORMAT = "inkwell-export/1"


class BuildExportHandler:
    """Streams the document into the export store a page at a time, reporting progress as it goes.
    Its result says until when the document can be downloaded."""

    def __init__(self, *, data: UserDataQueries, store: ExportStore, clock: Clock, ttl: timedelta) -> None:
        self._data = data
        self._store = store
        self._clock = clock
        self._ttl = ttl

    async def __call__(self, job: RunningJob[BuildExport]) -> dict[str, Any]:
        user_id = job.spec.user_id
        account = await self._data.account(user_id)
        if account is None:
            raise PermanentFailure("the account no longer exists")
        counts = await self._data.counts(user_id)
        progress = _Progress(job.report, total=1 + counts.articles + counts.comments + counts.favorites
                             + counts.following)
        await self._store.write(job.id, self._document(user_id, account, progress))
        await job.report(100)
        return {"expiresAt": _iso(self._clock.now() + self._ttl)}

    async def _document(self, user_id: UserId, account: ExportedAccount, progress: "_Progress") -> AsyncIterator[str]:
        yield f'{{"format": "{FORMAT}", "exportedAt": {json.dumps(_iso(self._clock.now()))}'
        yield f', "account": {json.dumps(_account(account))}'
        await progress.advance(1)
        sections: list[tuple[str, Callable[[Page], Awaitable[list[Any]]], Callable[[Any], Any]]] = [
            ("articles", lambda page: self._data.articles(user_id, page), _article),
            ("comments", lambda page: self._data.comments(user_id, page), _comment),
            ("favorites", lambda page: self._data.favorites(user_id, page), str),
            ("following", lambda page: self._data.following(user_id, page), str),
        ]
        for name, read, shape in sections:
            yield f', "{name}": ['
            offset = 0
            while True:
                rows = await read(Page(limit=MAX_LIMIT, offset=offset))
                for index, row in enumerate(rows):
                    yield ("" if offset + index == 0 else ", ") + json.dumps(shape(row))
                await progress.advance(len(rows))
                if len(rows) < MAX_LIMIT:
                    break
                offset += len(rows)
            yield "]"
        yield "}\n"


class _Progress:
    """Reports whole percentages, and only when they change, so a large export is not a write per row."""

    def __init__(self, report: Callable[[int], Awaitable[None]], *, total: int) -> None:
        self._report = report
        self._total = max(total, 1)
        self._done = 0
        self._reported = -1

    async def advance(self, by: int) -> None:
        self._done += by
        percent = min(99, self._done * 100 // self._total)  # 100 once the document is stored
        if percent != self._reported:
            self._reported = percent
            await self._report(percent)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _account(account: ExportedAccount) -> dict[str, Any]:
    return {
        "username": account.username, "email": account.email, "emailVerified": account.email_verified,
        "role": account.role.value, "bio": account.bio, "image": account.image,
        "createdAt": _iso(account.created_at),
    }


def _article(article: ExportedArticle) -> dict[str, Any]:
    return {
        "slug": article.slug, "title": article.title, "description": article.description, "body": article.body,
        "tagList": list(article.tags), "createdAt": _iso(article.created_at), "updatedAt": _iso(article.updated_at),
        "favoritesCount": article.favorites_count,
    }


def _comment(comment: ExportedComment) -> dict[str, Any]:
    return {"id": comment.id, "article": comment.article_slug, "body": comment.body,
            "createdAt": _iso(comment.created_at)}
