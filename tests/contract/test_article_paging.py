"""Paging property: walking consecutive pages of a listing shows every match exactly once, newest first,
however many articles share an instant and whatever the page size."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from application.ports.queries import ArticleFilter
from domain.paging import Page
from tests.contract.conftest import Storage, memory_storage, sql_storage
from tests.contract.databases import reader_on, sessions_on
from tests.contract.records import CREATED, an_article
from tests.contract.stored import a_stored_user


@asynccontextmanager
async def _empty_storage(backend: str, sqlite_database: str) -> AsyncIterator[Storage]:
    """Fresh state for each example: hypothesis runs many examples inside one test."""
    if backend == "memory":
        yield memory_storage()
        return
    async with sessions_on(sqlite_database) as factory, reader_on(sqlite_database) as reader:
        yield sql_storage(backend, factory, reader)


async def _walk(storage: Storage, criteria: ArticleFilter, limit: int) -> tuple[list[str], set[int]]:
    """Every page from the first until one comes back short; the slugs in order and the totals seen."""
    slugs: list[str] = []
    totals: set[int] = set()
    offset = 0
    while True:
        page = await storage.articles.articles(criteria, Page(limit=limit, offset=offset), viewer=None)
        slugs.extend(article.slug for article in page.articles)
        totals.add(page.total)
        if len(page.articles) < limit:
            return slugs, totals
        offset += limit


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
@settings(max_examples=20, deadline=None)
@given(
    # Few distinct seconds, so that many articles share an instant and only the id orders them.
    articles=st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=12),
    limit=st.integers(1, 5),
    by_tag=st.booleans(),
)
async def test_walking_the_pages_never_skips_or_repeats_an_article(
    backend: str, sqlite_database: str, articles: list[tuple[int, bool]], limit: int, by_tag: bool
) -> None:
    async with _empty_storage(backend, sqlite_database) as storage:
        author = await a_stored_user(storage, "jake")
        written = [
            an_article(author.id, title=f"A{n}", tags=["red"] if red else [], now=CREATED + timedelta(seconds=second))
            for n, (second, red) in enumerate(articles)
        ]
        async with storage.uow() as uow:
            for article in written:
                await uow.articles.add(article)
            await uow.commit()
        matches = [a for a in written if "red" in a.tags] if by_tag else written
        expected = [a.slug for a in sorted(matches, key=lambda a: (a.created_at, a.id), reverse=True)]

        walked, totals = await _walk(storage, ArticleFilter(tag="red" if by_tag else None), limit)

        assert walked == expected
        assert totals == {len(expected)}
