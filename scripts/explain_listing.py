#!/usr/bin/env python
"""Query plans of the article listings on a seeded PostgreSQL database.

Creates a throwaway database, migrates it, seeds 10,000 articles by 200 authors with tags, favorites
and follows, VACUUM ANALYZEs it, then captures the one SELECT that `SqlArticleQueries` sends for each kind of
listing and runs it under `EXPLAIN (ANALYZE, BUFFERS)`. Prints each plan, then one summary line per
listing with the median timings of five runs and any sequential scan of articles, favorites or
follows. Exits with status 1 when a filtered listing scans one of those tables. Drops the database
at the end.

    .venv/bin/python scripts/explain_listing.py [--server postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import asyncio
import random
import re
import secrets
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Engine, create_engine, event, insert, select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from adapters.sql.migrations import upgrade
from adapters.sql.queries import SqlArticleQueries
from adapters.sql.reader import SqlReader
from adapters.sql.tables import article_tags, articles, favorites, follows, profiles, tags, users
from application.ports.queries import ArticleFilter
from domain.ids import UserId
from domain.paging import Page

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
AUTHORS = 200
ARTICLES = 10_000
FAVORITES = 20_000
FOLLOWS_PER_USER = 10
TAG_NAMES = 100
RUNS = 5
SCANNED = re.compile(r"Seq Scan on (articles|favorites|follows)\b")
EXECUTION_TIME = re.compile(r"Execution Time: ([\d.]+) ms")
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    """Who and what the listings ask about, chosen to be typical of the seeded data."""

    reader: UserId
    author: str
    fan: str
    popular_tag: str
    typical_tag: str


@contextmanager
def throwaway_database(server: str) -> Iterator[str]:
    url = make_url(server)
    name = f"inkwell_explain_{secrets.token_hex(4)}"
    maintenance = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def seed(engine: Engine) -> Seeded:
    """Authors write Zipf-distributed numbers of articles with Zipf-distributed tags; readers favorite
    and follow at random. Seeded, so that two runs see the same data."""
    rng = random.Random(20261129)  # noqa: S311 - test data, not secrets
    user_ids = [_uuid(rng) for _ in range(AUTHORS)]
    names = [f"Author_{n:03d}" for n in range(AUTHORS)]
    tag_names = [f"tag-{n:03d}" for n in range(TAG_NAMES)]
    tag_weights = [1 / (rank + 1) for rank in range(TAG_NAMES)]
    author_weights = [1 / (rank + 1) ** 0.5 for rank in range(AUTHORS)]
    article_rows: list[dict[str, Any]] = []
    link_rows: list[dict[str, Any]] = []
    for n in range(ARTICLES):
        chosen = list(dict.fromkeys(rng.choices(range(TAG_NAMES), tag_weights, k=rng.randint(1, 4))))
        created = NOW - timedelta(seconds=rng.randint(0, 2 * 365 * 86_400), microseconds=rng.randint(0, 999_999))
        article_id = _uuid(rng)
        article_rows.append({
            "id": article_id, "slug": f"article-{n}", "author_id": rng.choices(user_ids, author_weights)[0],
            "title": f"Article {n}", "description": "A description", "body": "A body " * 50,
            "tag_list": [tag_names[t] for t in chosen], "created_at": created, "updated_at": created,
        })
        link_rows.extend({"article_id": article_id, "tag_id": t + 1} for t in chosen)
    favorite_pairs = sorted({(rng.choice(user_ids), rng.choice(article_rows)["id"]) for _ in range(FAVORITES)})
    follow_pairs = sorted({(follower, rng.choice(user_ids)) for follower in user_ids for _ in range(FOLLOWS_PER_USER)})
    with engine.begin() as connection:
        connection.execute(insert(users), [
            {"id": user_id, "email": f"{name.lower()}@example.com", "username": name, "password_hash": "x",
             "role": "user", "is_active": True, "email_verified_at": None, "credentials_version": 0,
             "kept_session_id": None, "created_at": NOW, "updated_at": NOW}
            for user_id, name in zip(user_ids, names, strict=True)
        ])
        connection.execute(insert(profiles), [{"user_id": user_id, "bio": None, "image": None} for user_id in user_ids])
        connection.execute(insert(tags), [{"id": n + 1, "name": name} for n, name in enumerate(tag_names)])
        connection.execute(insert(articles), article_rows)
        connection.execute(insert(article_tags), link_rows)
        connection.execute(insert(favorites), [{"user_id": u, "article_id": a} for u, a in favorite_pairs])
        connection.execute(insert(follows), [{"follower_id": f, "followee_id": e} for f, e in follow_pairs if f != e])
        connection.exec_driver_sql("SELECT setval('tags_id_seq', (SELECT max(id) FROM tags))")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        # Statistics for the planner, and the visibility map autovacuum would have set by now, without
        # which every index-only scan fetches the heap too.
        connection.exec_driver_sql("VACUUM (ANALYZE)")
    return _typical(engine, user_ids, names, tag_names)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _typical(engine: Engine, user_ids: list[uuid.UUID], names: list[str], tag_names: list[str]) -> Seeded:
    """The median author and fan by count, the most used and the median tag, and a reader of median feed."""
    with engine.connect() as connection:
        per_author = connection.execute(select(articles.c.author_id)).scalars().all()
        per_fan = connection.execute(select(favorites.c.user_id)).scalars().all()
        per_tag = connection.execute(select(article_tags.c.tag_id)).scalars().all()
    by_name = dict(zip(user_ids, names, strict=True))

    def by_count(values: list[Any]) -> list[Any]:
        counts = Counter(values)
        return sorted(counts, key=lambda value: (counts[value], value))

    def median_of(values: list[Any]) -> Any:
        ranked = by_count(values)
        return ranked[len(ranked) // 2]

    tag_ids = by_count(list(per_tag))[::-1]
    return Seeded(
        reader=UserId(user_ids[len(user_ids) // 2]),
        author=by_name[median_of(list(per_author))].upper(),  # any letter case must do
        fan=by_name[median_of(list(per_fan))].lower(),
        popular_tag=tag_names[tag_ids[0] - 1],
        typical_tag=tag_names[tag_ids[len(tag_ids) // 2] - 1],
    )


def listings(seeded: Seeded) -> list[tuple[str, ArticleFilter | None]]:
    """(name, criteria) of each listing explained; None is the reader's feed."""
    return [
        ("no filter", ArticleFilter()),
        (f"tag={seeded.popular_tag} (most used)", ArticleFilter(tag=seeded.popular_tag)),
        (f"tag={seeded.typical_tag} (median)", ArticleFilter(tag=seeded.typical_tag)),
        (f"author={seeded.author}", ArticleFilter(author=seeded.author)),
        (f"favorited={seeded.fan}", ArticleFilter(favorited_by=seeded.fan)),
        ("feed", None),
    ]


async def capture_and_time(url: str, seeded: Seeded) -> list[tuple[str, str, dict[str, Any], list[float], int]]:
    """For each listing: the statement and parameters sent, the round-trip times through
    SqlArticleQueries (ms), and how many statements one call sent."""
    reader = SqlReader(url)
    sent: list[tuple[str, Any]] = []
    event.listen(reader.engine.sync_engine, "before_cursor_execute",
                 lambda _c, _cur, statement, parameters, *_: sent.append((statement, parameters)))
    queries = SqlArticleQueries(reader)
    captured = []
    try:
        for name, criteria in listings(seeded):
            timings = []
            for _ in range(RUNS + 1):  # the first run warms the pool and the statement cache
                sent.clear()
                started = time.perf_counter()
                if criteria is None:
                    page = await queries.feed(Page(limit=20), viewer=seeded.reader)
                else:
                    page = await queries.articles(criteria, Page(limit=20), viewer=seeded.reader)
                timings.append((time.perf_counter() - started) * 1000)
            assert page.articles, f"{name}: the seeded data should match something"
            statement, parameters = sent[0]
            captured.append((name, statement, parameters, timings[1:], len(sent)))
    finally:
        await reader.close()
    return captured


def explain(engine: Engine, statement: str, parameters: dict[str, Any]) -> tuple[str, list[float]]:
    """The plan of the last of RUNS executions, and every execution's time (ms) as EXPLAIN ANALYZE reports it."""
    plan, times = "", []
    with engine.connect() as connection:
        for _ in range(RUNS):
            rows = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters).scalars().all()
            plan = "\n".join(rows)
            found = EXECUTION_TIME.search(plan)
            times.append(float(found[1]) if found else float("nan"))
    return plan, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=SERVER, help="a PostgreSQL URL on which databases may be created")
    server = parser.parse_args().server
    with throwaway_database(server) as url:
        print(f"migrating and seeding {url.rsplit('/', 1)[-1]} …", flush=True)
        upgrade(url)
        engine = create_engine(url)
        try:
            seeded = seed(engine)
            captured = asyncio.run(capture_and_time(url, seeded))
            summary, failed = [], False
            for name, statement, parameters, round_trips, sent in captured:
                plan, executions = explain(engine, statement, parameters)
                print(f"\n=== {name}\n{statement}\n{parameters}\n\n{plan}")
                scans = sorted(set(SCANNED.findall(plan)))
                failed |= bool(scans) and name != "no filter"
                summary.append(
                    f"{name:<28} statements {sent}  execution {statistics.median(executions):7.2f} ms  "
                    f"round trip {statistics.median(round_trips):7.2f} ms  "
                    f"seq scans: {', '.join(scans) if scans else 'none'}"
                )
        finally:
            engine.dispose()
    print(f"\nSummary: {ARTICLES} articles, {AUTHORS} authors, {FAVORITES} favorites drawn; page of 20, signed in;"
          f" medians of {RUNS} runs")
    print("\n".join(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
