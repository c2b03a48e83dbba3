"""The benchmark's dataset: a few accounts registered through the API, everything else written in bulk.

Only the accounts that log in go through the API (a reader, who follows ~50 authors and is the signed-in
caller of the read cases, and the login-storm account): registering thousands would measure bcrypt. The
bulk rows (users, profiles, tags, articles, tag links, favorites, follows, comments) are written straight
into the database — COPY on PostgreSQL, one executemany transaction on SQLite — shaped like the rows the
app writes (UUID ids, lower-cased tags and emails, `title-xxxxxx` slugs, `tag_list` beside the link rows,
credentials at version 0), with the password hash copied from the reader's row so that any of them
could log in.

The tables are reflected (`MetaData().reflect`), not imported from the tree under test, so the same code
seeds an older commit: columns it does not know get a neutral value when they are NOT NULL without a
default, and columns the tree does not have are left out. Counts a tree keeps beside the rows (articles per
author and tag, favorites per user, the article total) are checked after the load and computed where the
database did not keep them: on PostgreSQL the triggers that keep them are off during the COPY and the counts
are computed once afterwards (an earlier form of those triggers counted row by row, which made a bulk load
quadratic); on SQLite they stay on.

Proportions for N articles: N/10 authors among N/5 users, a pool of 200 tags with Zipf-like popularity,
1-4 tags per article, ~3 favorites per article, ~10 follows per user, ~N/2 comments (and 12 on the article
the `comments` case reads), bodies of 300 to 5,000 characters, dates over the past year. The generator is
seeded by N, so every tree of one run gets the same data.
"""

import json
import math
import random
import sqlite3
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import Any

import httpx
import psycopg
from psycopg import sql
from sqlalchemy import Boolean, Column, DateTime, Engine, Integer, MetaData, Table, create_engine, delete, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SAWarning

PASSWORD = "a long and unusual passphrase"  # noqa: S105 - the benchmark accounts'
READER = "bench_reader"
STORM = "bench_storm"
TAGS = 200
READER_FOLLOWS = 50
READER_FAVORITES = 30
TARGET_COMMENTS = 12
FAVORITE_SLUGS = 2000
_SYLLABLES = ("ka", "lo", "mi", "ren", "to", "sa", "vel", "dor", "an", "qui", "mar", "el", "is", "por", "ta",
              "ne", "bri", "col", "un", "fe", "gra", "ho", "jin", "ly", "ost", "pe", "ra", "sy", "tri", "vo",
              "wen", "xa", "yu", "zo", "be", "ci", "da", "fu", "ga", "he")
_SLUG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Account:
    username: str
    email: str
    password: str = PASSWORD

    @classmethod
    def named(cls, username: str) -> "Account":
        return cls(username=username, email=f"{username}@example.com")


@dataclass
class Facts:
    """What the cases ask about, chosen to be typical (or, where the case says so, heavy) in the seeded data."""

    reader: Account
    storm: Account
    popular_tag: str
    prolific_author: str
    fan: str  # the user with the most favorites
    article_slug: str
    favorite_slugs: list[str]
    create_tags: list[str]


@dataclass
class _Article:
    id: uuid.UUID
    slug: str
    author: int
    title: str
    description: str
    body_length: int
    body_seed: int
    tags: tuple[int, ...]
    created_at: datetime


@dataclass
class Plan:
    """The dataset in memory, bodies excepted (made while writing, from a seed per article)."""

    now: datetime
    user_ids: list[uuid.UUID]
    usernames: list[str]
    user_created: list[datetime]
    authors: int  # users 0..authors-1 write
    tags: list[str]  # most popular first
    articles: list[_Article]
    favorites: list[tuple[int, int]]  # (user, article)
    follows: list[tuple[int, int]]  # (follower, followee)
    comments: list[tuple[int, int, str, datetime]]  # (article, user, body, created_at)
    reader_follows: list[int]
    reader_favorites: list[int]
    target: int  # the article of the `article` and `comments` cases
    paragraphs: list[str]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 2, 3, 3, 4))))


def _sentence(rng: random.Random, vocabulary: list[str], words: int) -> str:
    chosen = rng.choices(vocabulary, k=words)
    return " ".join(chosen).capitalize() + "."


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative Zipf-like weights for ranks 1..count, for random.choices(cum_weights=...)."""
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1 / rank**exponent
        cumulative.append(total)
    return cumulative


def _slug(rng: random.Random, title: str) -> str:
    base = "-".join(title.lower().split())[:80].rstrip("-")
    return f"{base}-{''.join(rng.choice(_SLUG_ALPHABET) for _ in range(6))}"


def plan(article_count: int) -> Plan:
    rng = random.Random(article_count)  # noqa: S311 - test data, not secrets
    now = datetime.now(UTC).replace(microsecond=0)
    vocabulary = sorted({_word(rng) for _ in range(6000)})
    paragraphs = [" ".join(_sentence(rng, vocabulary, rng.randint(6, 20)) for _ in range(rng.randint(2, 6)))
                  for _ in range(2000)]
    users = max(20, article_count // 5)
    authors = max(10, article_count // 10)
    user_ids = [_uuid(rng) for _ in range(users)]
    usernames = [f"{_word(rng).capitalize()}_{_word(rng)}{n}" for n in range(users)]
    year = timedelta(days=365)
    user_created = [now - year - timedelta(seconds=rng.randint(0, 120 * 86_400)) for _ in range(users)]
    tags: list[str] = []
    while len(tags) < TAGS:
        name = _word(rng) if len(tags) % 3 else f"{_word(rng)}-{_word(rng)}"
        if name not in tags and 2 < len(name) <= 40:
            tags.append(name)
    tag_weights = _zipf(TAGS, 1.0)
    author_weights = _zipf(authors, 0.7)
    slugs: set[str] = set()
    articles = []
    for _ in range(article_count):
        title = " ".join(_word(rng) for _ in range(rng.randint(3, 9))).capitalize()
        slug = _slug(rng, title)
        while slug in slugs:
            slug = _slug(rng, title)
        slugs.add(slug)
        chosen = tuple(dict.fromkeys(rng.choices(range(TAGS), cum_weights=tag_weights, k=rng.randint(1, 4))))
        articles.append(_Article(
            id=_uuid(rng), slug=slug, author=rng.choices(range(authors), cum_weights=author_weights)[0],
            title=title, description=_sentence(rng, vocabulary, rng.randint(8, 25)),
            body_length=int(math.exp(rng.uniform(math.log(300), math.log(5000)))), body_seed=rng.getrandbits(32),
            tags=chosen, created_at=now - timedelta(seconds=rng.randint(60, 365 * 86_400),
                                                    microseconds=rng.randint(0, 999_999)),
        ))
    # Popularity is independent of age: favorites follow a Zipf law over articles in a random order.
    article_order = list(range(article_count))
    rng.shuffle(article_order)
    user_order = list(range(users))
    rng.shuffle(user_order)
    picked_users = rng.choices(user_order, cum_weights=_zipf(users, 0.8), k=3 * article_count)
    picked_articles = rng.choices(article_order, cum_weights=_zipf(article_count, 0.6), k=3 * article_count)
    favorites = sorted(set(zip(picked_users, picked_articles, strict=True)))
    follows = sorted({(follower, followee) for follower in range(users)
                      for followee in rng.choices(range(authors), cum_weights=author_weights, k=rng.randint(3, 17))
                      if follower != followee})
    newest_first = sorted(range(article_count), key=lambda a: articles[a].created_at, reverse=True)
    target = next((a for a in newest_first if 1500 <= articles[a].body_length <= 3000), newest_first[0])
    commented = [*rng.choices(range(article_count), k=article_count // 2), *[target] * TARGET_COMMENTS]
    comments = []
    for article in commented:
        # Some time between the article and now, sooner rather than later.
        since = (now - articles[article].created_at).total_seconds()
        created = articles[article].created_at + timedelta(seconds=since * rng.random() ** 3)
        comments.append((article, rng.randrange(users), _sentence(rng, vocabulary, rng.randint(5, 60)), created))
    reader_follows = sorted(set(rng.choices(range(authors), cum_weights=author_weights, k=READER_FOLLOWS * 3)))
    reader_follows = reader_follows[:READER_FOLLOWS] if len(reader_follows) > READER_FOLLOWS else reader_follows
    return Plan(now=now, user_ids=user_ids, usernames=usernames, user_created=user_created, authors=authors,
                tags=tags, articles=articles, favorites=favorites, follows=follows, comments=comments,
                reader_follows=reader_follows, reader_favorites=rng.sample(range(article_count),
                                                                            min(READER_FAVORITES, article_count)),
                target=target, paragraphs=paragraphs)


def body(plan: Plan, article: _Article) -> str:
    rng = random.Random(article.body_seed)  # noqa: S311 - test data
    parts: list[str] = []
    length = 0
    while length < article.body_length:
        parts.append(rng.choice(plan.paragraphs))
        length += len(parts[-1]) + 2
    return "\n\n".join(parts)


def facts(plan: Plan) -> Facts:
    by_author = Counter(a.author for a in plan.articles)
    by_fan = Counter(user for user, _ in plan.favorites)
    rng = random.Random(len(plan.articles) + 1)  # noqa: S311 - test data
    slugs = [a.slug for a in plan.articles]
    return Facts(
        reader=Account.named(READER), storm=Account.named(STORM), popular_tag=plan.tags[0],
        prolific_author=plan.usernames[by_author.most_common(1)[0][0]],
        fan=plan.usernames[by_fan.most_common(1)[0][0]], article_slug=plan.articles[plan.target].slug,
        favorite_slugs=rng.sample(slugs, min(FAVORITE_SLUGS, len(slugs))), create_tags=plan.tags[:3],
    )


# --- through the API ---------------------------------------------------------------------------------------

def register(base_url: str, account: Account) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        response = http.post("/api/users", json={"user": {"username": account.username, "email": account.email,
                                                          "password": account.password}})
    if response.status_code != 201:
        raise RuntimeError(f"registering {account.username}: {response.status_code} {response.text[:500]}")


def log_in(base_url: str, account: Account) -> str:
    with httpx.Client(base_url=base_url, timeout=60) as http:
        response = http.post("/api/users/login", json={"user": {"email": account.email, "password": account.password}})
    if response.status_code != 200:
        raise RuntimeError(f"logging in {account.username}: {response.status_code} {response.text[:500]}")
    token: str = response.json()["user"]["token"]
    return token


# --- in bulk -------------------------------------------------------------------------------------------------

class _Writer:
    """Inserts dict rows into a reflected table, adapting them to the columns it has."""

    def __init__(self, metadata: MetaData, now: datetime) -> None:
        self.metadata = metadata
        self.now = now
        self.notes: list[str] = []

    def insert(self, name: str, rows: Iterable[dict[str, Any]]) -> int:
        table = self.metadata.tables.get(name)
        if table is None:
            self.notes.append(f"no table {name}: skipped")
            return 0
        iterator = iter(rows)
        first = next(iterator, None)
        if first is None:
            return 0
        given = [c for c in table.columns if c.name in first]
        filled = {c.name: self._neutral(table, c) for c in table.columns if c.name not in first and _needs_value(c)}
        left_out = sorted(set(first) - set(table.columns.keys()))
        if left_out:
            self.notes.append(f"{name}: the tree has no {', '.join(left_out)}; left out")
        columns = [c.name for c in given] + list(filled)
        extra = tuple(filled.values())

        values = (tuple(self.convert(row[c.name]) for c in given) + extra for row in chain([first], iterator))
        return self.write(table, columns, values)

    def _neutral(self, table: Table, column: Column[Any]) -> Any:
        self.notes.append(f"WARNING {table.name}.{column.name}: NOT NULL and unknown to the seeder, so given a "
                          f"neutral value; teach bench/seed.py what it holds")
        if isinstance(column.type, Boolean):
            return self.convert(False)
        if isinstance(column.type, Integer):
            return 0
        if isinstance(column.type, DateTime):
            return self.convert(self.now)
        try:
            python_type = column.type.python_type
        except NotImplementedError:
            return ""
        if python_type is uuid.UUID:
            return self.convert(uuid.uuid4())
        if python_type in (dict, list):
            return self.convert(python_type())
        return python_type() if python_type in (int, float, str, bool) else ""

    def convert(self, value: Any) -> Any:
        raise NotImplementedError

    def write(self, table: Table, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
        raise NotImplementedError

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def execute(self, statement: str) -> None:
        raise NotImplementedError


def _needs_value(column: Column[Any]) -> bool:
    if column.nullable or column.server_default is not None:
        return False
    # An integer key is assigned by the database (a sequence, or SQLite's rowid).
    return not (column.primary_key and isinstance(column.type, Integer))


class _Postgres(_Writer):
    def __init__(self, metadata: MetaData, now: datetime, connection: psycopg.Connection[Any]) -> None:
        super().__init__(metadata, now)
        self.connection = connection

    def convert(self, value: Any) -> Any:
        return json.dumps(value) if isinstance(value, list | dict) else value

    def write(self, table: Table, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
        count = 0
        with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        return self.connection.execute(statement.encode()).fetchall()

    def execute(self, statement: str) -> None:
        self.connection.execute(statement.encode())


class _Sqlite(_Writer):
    """Values as the app's SQLAlchemy types store them on SQLite: UUIDs as 32 hex digits, instants as naive UTC
    text with microseconds, booleans as 0/1, JSON as text."""

    def __init__(self, metadata: MetaData, now: datetime, connection: sqlite3.Connection) -> None:
        super().__init__(metadata, now)
        self.connection = connection

    def convert(self, value: Any) -> Any:
        if isinstance(value, uuid.UUID):
            return value.hex
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, list | dict):
            return json.dumps(value)
        return value

    def write(self, table: Table, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        cursor = self.connection.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', rows)  # noqa: S608
        return cursor.rowcount

    def query(self, statement: str) -> list[tuple[Any, ...]]:
        return self.connection.execute(statement).fetchall()

    def execute(self, statement: str) -> None:
        self.connection.execute(statement)


# Counts a tree may keep beside the rows they count. Where the database keeps them itself (triggers fire on
# COPY and executemany alike) they are already right after the bulk insert; any that are not are computed.
_COUNTERS = {
    ("users", "articles_count"): "(SELECT count(*) FROM articles a WHERE a.author_id = users.id)",
    ("users", "favorites_count"): "(SELECT count(*) FROM favorites f WHERE f.user_id = users.id)",
    ("tags", "articles_count"): "(SELECT count(*) FROM article_tags t WHERE t.tag_id = tags.id)",
    ("article_totals", "articles"): "(SELECT count(*) FROM articles)",
    ("articles", "favorites_count"): "(SELECT count(*) FROM favorites f WHERE f.article_id = articles.id)",
    ("articles", "comments_count"): "(SELECT count(*) FROM comments c WHERE c.article_id = articles.id)",
    ("profiles", "followers_count"): "(SELECT count(*) FROM follows f WHERE f.followee_id = profiles.user_id)",
    ("profiles", "following_count"): "(SELECT count(*) FROM follows f WHERE f.follower_id = profiles.user_id)",
}


def _settle_counters(writer: "_Writer") -> None:
    for (table, column), count in _COUNTERS.items():
        found = writer.metadata.tables.get(table)
        if found is None or column not in found.columns:
            continue
        stale = writer.query(f"SELECT count(*) FROM {table} WHERE {column} <> {count}")[0][0]  # noqa: S608
        if stale:
            writer.execute(f"UPDATE {table} SET {column} = {count}")  # noqa: S608 - constants
            writer.notes.append(f"{table}.{column}: computed after the bulk load ({stale} row(s) set)")
        else:
            writer.notes.append(f"{table}.{column}: right after the bulk load (kept by the database)")


def _reflect(metadata: MetaData, engine: Engine) -> None:
    with warnings.catch_warnings():
        # SQLite: "Skipped unsupported reflection of expression-based index" (the lower(username) one); harmless.
        warnings.simplefilter("ignore", SAWarning)
        metadata.reflect(engine)


def write(plan: Plan, database_url: str, reader: Account, storm: Account) -> dict[str, Any]:
    """Write the plan into a migrated database holding the two registered accounts; returns counts and notes."""
    url = make_url(database_url)
    metadata = MetaData()
    engine = create_engine(url.set(drivername="sqlite") if url.get_backend_name() == "sqlite" else url)
    try:
        _reflect(metadata, engine)
    finally:
        engine.dispose()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database), timeout=60) as lite:
            counts = _write_all(_Sqlite(metadata, plan.now, lite), plan, reader, storm, after_rows=lambda: None)
    else:
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(conninfo) as connection:
            writer = _Postgres(metadata, plan.now, connection)
            triggers = writer.query("SELECT c.relname || '.' || t.tgname FROM pg_trigger t JOIN pg_class c "
                                    "ON c.oid = t.tgrelid WHERE NOT t.tgisinternal ORDER BY 1")
            # Row triggers (the counts a tree keeps) would update the same few rows hundreds of thousands of
            # times in this one transaction, which PostgreSQL does in quadratic time (minutes for 100,000
            # articles): they are off for the COPY, and the counts they keep are computed after it.
            connection.execute("SET session_replication_role = replica")
            counts = _write_all(writer, plan, reader, storm, after_rows=lambda: connection.execute(
                "RESET session_replication_role"))
            if triggers:
                counts["notes"].append(f"triggers off during the bulk load: {', '.join(t for t, in triggers)}")
    return counts


def _write_all(writer: _Writer, plan: Plan, reader: Account, storm: Account,
               after_rows: Callable[[], object]) -> dict[str, Any]:
    registered = {name: (value, hashed) for name, value, hashed in writer.query(
        f"SELECT username, id, password_hash FROM users WHERE username IN ('{reader.username}', '{storm.username}')")}  # noqa: S608
    if set(registered) != {reader.username, storm.username}:
        raise RuntimeError(f"the registered accounts are missing: found {sorted(registered)}")
    reader_id = uuid.UUID(str(registered[reader.username][0]))
    password_hash = registered[reader.username][1]
    ids = plan.user_ids
    counts: dict[str, Any] = {}

    def verified(n: int) -> datetime:
        return plan.user_created[n] + timedelta(minutes=7)

    counts["users"] = writer.insert("users", (
        {"id": ids[n], "email": f"{plan.usernames[n].lower()}@example.com", "username": plan.usernames[n],
         "password_hash": password_hash, "role": "user", "is_active": True, "email_verified_at": verified(n),
         "credentials_version": 0, "kept_session_id": None,
         "created_at": plan.user_created[n], "updated_at": verified(n)} for n in range(len(ids))))
    counts["profiles"] = writer.insert("profiles", (
        {"user_id": ids[n], "bio": f"I write about {plan.tags[n % 40]} and {plan.tags[(n * 7) % TAGS]}." if n % 5 < 2
         else None, "image": f"https://images.example.com/avatars/{n}.jpg" if n % 3 == 0 else None}
        for n in range(len(ids))))
    counts["tags"] = writer.insert("tags", ({"name": name} for name in plan.tags))
    tag_ids = {name: value for value, name in writer.query("SELECT id, name FROM tags")}
    counts["articles"] = writer.insert("articles", (
        {"id": a.id, "slug": a.slug, "author_id": ids[a.author], "title": a.title, "description": a.description,
         "body": body(plan, a), "tag_list": [plan.tags[t] for t in a.tags], "created_at": a.created_at,
         "updated_at": a.created_at} for a in plan.articles))
    # `article_created_at`: the copy of the article's time that later trees keep on tag links and favorites
    # (left out for trees without it).
    counts["article_tags"] = writer.insert("article_tags", (
        {"article_id": a.id, "tag_id": tag_ids[plan.tags[t]], "article_created_at": a.created_at}
        for a in plan.articles for t in a.tags))
    favorites = [(ids[u], plan.articles[a]) for u, a in plan.favorites]
    favorites += [(reader_id, plan.articles[a]) for a in plan.reader_favorites]
    counts["favorites"] = writer.insert("favorites", (
        {"user_id": u, "article_id": a.id, "article_created_at": a.created_at} for u, a in favorites))
    follows = [(ids[f], ids[e]) for f, e in plan.follows] + [(reader_id, ids[e]) for e in plan.reader_follows]
    counts["follows"] = writer.insert("follows", ({"follower_id": f, "followee_id": e} for f, e in follows))
    counts["comments"] = writer.insert("comments", (
        {"article_id": plan.articles[a].id, "author_id": ids[u], "body": text, "created_at": at, "updated_at": at}
        for a, u, text, at in plan.comments))
    after_rows()
    _settle_counters(writer)
    counts["notes"] = sorted(set(writer.notes))
    return counts


def reset(database_url: str, usernames: list[str]) -> int:
    """Delete what the write cases made: the articles (with their links, favorites and comments) and favorites
    of the benchmark accounts, and every job, session and revocation. Returns the rows deleted; on
    PostgreSQL, when there were any, VACUUM ANALYZE follows so that the next round meets a settled table."""
    url = make_url(database_url)
    engine = create_engine(url.set(drivername="sqlite") if url.get_backend_name() == "sqlite" else url)
    deleted = 0
    try:
        metadata = MetaData()
        _reflect(metadata, engine)
        tables = metadata.tables
        mine = select(tables["users"].c.id).where(tables["users"].c.username.in_(usernames))
        articles = tables["articles"]
        written = select(articles.c.id).where(articles.c.author_id.in_(mine))
        statements = [delete(tables[t]).where(tables[t].c.article_id.in_(written))
                      for t in ("article_tags", "favorites", "comments") if t in tables]
        statements.append(delete(tables["favorites"]).where(tables["favorites"].c.user_id.in_(mine)))
        statements.append(delete(articles).where(articles.c.author_id.in_(mine)))
        statements += [delete(tables[t]) for t in ("jobs", "sessions", "revoked_tokens") if t in tables]
        with engine.begin() as connection:
            for statement in statements:
                deleted += connection.execute(statement).rowcount
    finally:
        engine.dispose()
    if deleted:
        analyze(database_url)
    return deleted


def analyze(database_url: str) -> None:
    """VACUUM ANALYZE (PostgreSQL): fresh statistics and a visibility map, as a database in service has."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def elapsed(started: float) -> float:
    return round(time.perf_counter() - started, 2)
