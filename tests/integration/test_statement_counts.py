"""SQL statements per request through the real HTTP app, authentication included: listings and the feed
stay within 4 statements and one article (also its comments, a profile, the tags) within 3, whatever the
page size, on PostgreSQL (production profile) and SQLite (embedded profile). `pytest -s` prints the
measured counts."""

import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from adapters.sql.migrations import upgrade
from entrypoints.http.app import create_app
from entrypoints.settings import Profile, Settings
from tests.contract.databases import fresh_postgres_database, sqlite_url
from tests.services import REDIS_URL, require_postgres, require_redis

LIST_BUDGET = 4
ARTICLE_BUDGET = 3
SECRET = secrets.token_urlsafe(48)  # 64 characters
PEPPER = secrets.token_urlsafe(48)
AUTHORS = 4
ARTICLES_PER_AUTHOR = 7
TAGS = ("dragons", "myths", "training")


@dataclass
class StatementLog:
    """Every statement the engine sends, as the driver's cursor receives it."""

    statements: list[str] = field(default_factory=list)

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        start = len(self.statements)
        counted: list[str] = []
        yield counted
        counted.extend(self.statements[start:])


@dataclass(frozen=True)
class Measured:
    request: str
    caller: str
    statements: int
    budget: int
    shown: int  # items in the answer, so that an empty page cannot pass for a cheap one


@dataclass
class Site:
    client: httpx.AsyncClient
    log: StatementLog
    reader_token: str = ""
    authors: list[str] = field(default_factory=list)
    slug: str = ""

    async def measure(self, request: str, path: str, *, signed_in: bool, budget: int) -> Measured:
        headers = {"Authorization": f"Token {self.reader_token}"} if signed_in else {}
        with self.log.counting() as counted:
            response = await self.client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        listed = next((value for value in body.values() if isinstance(value, list)), None)
        shown = 1 if listed is None else len(listed)
        return Measured(request, "signed in" if signed_in else "anonymous", len(counted), budget, shown)


def _settings(profile: str, tmp_path: Path) -> Iterator[Settings]:
    # Rate limits count in Redis or memory, never in the database; left on, their counts on the shared
    # Redis would carry over from run to run and refuse the registrations here.
    common: dict[str, Any] = {"jwt_secret": SECRET, "password_pepper": PEPPER, "bcrypt_rounds": 4,
                              "log_level": "WARNING", "rate_limits_enabled": False}
    if profile == "production":
        require_postgres()
        require_redis()
        with fresh_postgres_database() as url:
            upgrade(url)
            yield Settings(_env_file=None, inkwell_profile=Profile.PRODUCTION, database_url=url,  # type: ignore[call-arg]
                           redis_url=REDIS_URL, **common)
        return
    url = sqlite_url(tmp_path)
    upgrade(url)
    yield Settings(_env_file=None, inkwell_profile=Profile.EMBEDDED, database_url=url, data_dir=tmp_path,  # type: ignore[call-arg]
                   **common)


@asynccontextmanager
async def _running(settings: Settings) -> AsyncIterator[Site]:
    app: FastAPI = create_app(settings)
    async with app.router.lifespan_context(app):
        log = StatementLog()
        engine = app.state.container.storage.engine().sync_engine
        event.listen(engine, "before_cursor_execute", log)
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as client:
                yield Site(client, log)
        finally:
            event.remove(engine, "before_cursor_execute", log)


async def _register(client: httpx.AsyncClient, name: str) -> str:
    response = await client.post(
        "/api/users", json={"user": {"username": name, "email": f"{name}@example.com", "password": "correct horse"}}
    )
    assert response.status_code == 201, response.text
    token: str = response.json()["user"]["token"]
    return token


async def _seed(site: Site) -> None:
    """Authors with articles and tags; a reader who follows two authors and favorites some articles."""
    client = site.client
    site.reader_token = await _register(client, "reader")
    slugs: list[str] = []
    for n in range(AUTHORS):
        name = f"Author{n}"
        token = await _register(client, name)
        site.authors.append(name)
        for m in range(ARTICLES_PER_AUTHOR):
            article = {"title": f"Article {n}-{m}", "description": "d", "body": "b",
                       "tagList": [TAGS[m % 3], TAGS[(m + n) % 3]]}
            response = await client.post("/api/articles", json={"article": article},
                                         headers={"Authorization": f"Token {token}"})
            assert response.status_code == 201, response.text
            slugs.append(response.json()["article"]["slug"])
    reader = {"Authorization": f"Token {site.reader_token}"}
    for name in site.authors[:2]:
        assert (await client.post(f"/api/profiles/{name}/follow", headers=reader)).status_code == 200
    for slug in slugs[::3]:
        assert (await client.post(f"/api/articles/{slug}/favorite", headers=reader)).status_code == 200
    site.slug = slugs[0]
    for body in ("First!", "Second"):
        response = await client.post(f"/api/articles/{site.slug}/comments", json={"comment": {"body": body}},
                                     headers=reader)
        assert response.status_code == 201, response.text


def _listings(site: Site) -> list[tuple[str, str]]:
    """(label, path) of every listing measured, anonymous and signed in."""
    author = site.authors[1].upper()
    return [
        *((f"GET /api/articles?limit={size}", f"/api/articles?limit={size}") for size in (1, 5, 20)),
        ("GET /api/articles?tag=dragons", "/api/articles?tag=dragons&limit=20"),
        ("GET /api/articles?author=<any case>", f"/api/articles?author={author}&limit=20"),
        ("GET /api/articles?favorited=<any case>", "/api/articles?favorited=READER&limit=20"),
        ("GET /api/articles?tag&author", f"/api/articles?tag=myths&author={author}"),
        ("GET /api/articles?tag&favorited", "/api/articles?tag=dragons&favorited=reader"),
        ("GET /api/articles?offset past the end", "/api/articles?limit=20&offset=500"),
    ]


def _single_reads(site: Site) -> list[tuple[str, str]]:
    """(label, path) of the reads that answer about one thing; the first is the one the budget is set for."""
    return [
        ("GET /api/articles/{slug}", f"/api/articles/{site.slug}"),
        ("GET /api/articles/{slug}/comments", f"/api/articles/{site.slug}/comments"),
        ("GET /api/profiles/{username}", f"/api/profiles/{site.authors[0]}"),
        ("GET /api/tags", "/api/tags"),
    ]


@pytest.fixture(params=["production", "embedded"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    yield from _settings(request.param, tmp_path)


async def test_listings_and_articles_stay_within_their_statement_budget(settings: Settings) -> None:
    async with _running(settings) as site:
        await _seed(site)
        measured = [
            await site.measure(label, path, signed_in=signed_in, budget=LIST_BUDGET)
            for label, path in _listings(site) for signed_in in (False, True)
        ]
        for size in (1, 20):
            measured.append(await site.measure(f"GET /api/articles/feed?limit={size}",
                                               f"/api/articles/feed?limit={size}", signed_in=True, budget=LIST_BUDGET))
        for label, path in _single_reads(site):
            for signed_in in (False, True):
                measured.append(await site.measure(label, path, signed_in=signed_in, budget=ARTICLE_BUDGET))

    _print_table(settings.inkwell_profile.value, measured)
    assert [m for m in measured if m.statements > m.budget] == []
    assert [m for m in measured if m.shown == 0 and "past the end" not in m.request] == []
    for caller in ("anonymous", "signed in"):
        # A statement per article shown would make the count grow with the page size.
        by_size = {m.statements for m in measured
                   if m.caller == caller and m.request.startswith("GET /api/articles?limit")}
        assert len(by_size) == 1, (caller, by_size)


def _print_table(profile: str, measured: list[Measured]) -> None:
    width = max(len(m.request) for m in measured)
    print(f"\nSQL statements per request, {profile} profile (authentication included)")
    print(f"{'request':<{width}}  {'caller':<9}  {'items':>8}  {'statements':>10}  {'budget':>6}")
    for m in measured:
        print(f"{m.request:<{width}}  {m.caller:<9}  {m.shown:>8}  {m.statements:>10}  {m.budget:>6}")
