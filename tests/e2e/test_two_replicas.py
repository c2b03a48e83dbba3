"""Two `inkwell serve` replicas on one PostgreSQL database and one Redis, as compose.yaml runs them behind its
proxy: a session, a revocation, a rate-limit count or a write made through one is seen through the other at once.
Every request carries an `X-Forwarded-For` of its own from a trusted proxy (127.0.0.1, as the compose proxy is
trusted), so that the counts of this run are its own and the proxy's forwarding is exercised too."""

import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from adapters.sql.migrations import upgrade
from tests.contract.databases import fresh_postgres_database
from tests.e2e.conftest import running_server
from tests.e2e.production import PASSWORD, bearer, log_in, register
from tests.services import REDIS_URL, require_postgres, require_redis

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

LOGINS_PER_MINUTE = 3


def replica_redis_url() -> str:
    """The tests' Redis, but never its database 0, where a developer's own keys may live."""
    url = urlsplit(REDIS_URL)
    return url._replace(path="/15").geturl() if url.path.strip("/") in ("", "0") else REDIS_URL


def client_address() -> str:
    """An address from the documentation range, new each time, so no other test or run shares its counts."""
    return f"2001:db8::{secrets.randbits(16):x}:{secrets.randbits(16):x}"


def unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    require_postgres()
    require_redis()
    workdir: Path = tmp_path_factory.mktemp("replicas")
    with fresh_postgres_database() as database_url:
        upgrade(database_url)  # once, as compose.yaml's one-shot `migrate` service does before the API starts
        shared = {
            "INKWELL_PROFILE": "production",
            "DATABASE_URL": database_url,
            "REDIS_URL": replica_redis_url(),
            # What makes two processes one service: the same keys, as compose.yaml hands every replica.
            "JWT_SECRET": secrets.token_urlsafe(48),
            "PASSWORD_PEPPER": secrets.token_urlsafe(48),
            "TRUSTED_PROXIES": "127.0.0.1",
            "RATE_LIMITS_ENABLED": "true",
            "RATE_LIMIT_LOGIN": f"{LOGINS_PER_MINUTE}/minute",
            "RATE_LIMIT_REGISTER": "1000/hour",
            "JOB_QUEUE_PREFIX": unique("replicas-"),
            # Sessions a failed test leaves in the shared Redis expire with them, in minutes rather than a month.
            "SESSION_MAX_AGE_SECONDS": "600",
            "REFRESH_TOKEN_TTL_SECONDS": "600",
        }
        with side_by_side(workdir, shared) as bases:
            yield bases


@contextmanager
def side_by_side(workdir: Path, env: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Two replicas, started at the same time: a start is mostly imports, and one after the other takes twice as
    long. Both are stopped when the block ends, and so is one that started if the other did not."""
    with ExitStack() as running, ThreadPoolExecutor(max_workers=2) as pool:
        starts = [pool.submit(running.enter_context, running_server(workdir, env)) for _ in range(2)]
        yield starts[0].result(), starts[1].result()


@pytest.fixture
def replicas(servers: tuple[str, str]) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """A client of each replica, both speaking for one new client address (as one browser behind the proxy)."""
    headers = {"X-Forwarded-For": client_address()}
    first, second = servers
    with httpx.Client(base_url=first, headers=headers) as a, httpx.Client(base_url=second, headers=headers) as b:
        yield a, b


def test_a_session_opened_through_one_replica_works_through_the_other(
    replicas: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = replicas
    name = unique("reader")
    user = register(a, name)

    seen = b.get("/api/user", headers=bearer(user["token"]))
    assert seen.status_code == 200, seen.text
    assert seen.json()["user"]["username"] == name

    refreshed = b.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})
    assert refreshed.status_code == 200, refreshed.text
    assert a.get("/api/user", headers=bearer(refreshed.json()["access_token"])).status_code == 200
    # The refresh token B spent is spent for A too: presenting it again is reuse.
    assert a.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]}).status_code == 401


def test_writes_through_either_replica_are_read_through_both(replicas: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = replicas
    author, reader = register(a, unique("author")), register(b, unique("fan"))
    tag = unique("replicas")

    created = a.post("/api/articles", headers=bearer(author["token"]), json={"article": {
        "title": "Written through A", "description": "d", "body": "first", "tagList": [tag]}})
    assert created.status_code == 201, created.text
    slug = created.json()["article"]["slug"]

    read = b.get(f"/api/articles/{slug}")
    assert read.status_code == 200, read.text
    assert (read.json()["article"]["body"], read.json()["article"]["tagList"]) == ("first", [tag])
    assert tag in b.get("/api/tags").json()["tags"]

    edited = b.put(f"/api/articles/{slug}", headers=bearer(author["token"]), json={"article": {"body": "second"}})
    assert edited.status_code == 200, edited.text
    assert a.get(f"/api/articles/{slug}").json()["article"]["body"] == "second"

    commented = b.post(f"/api/articles/{slug}/comments", headers=bearer(reader["token"]),
                       json={"comment": {"body": "through B"}})
    assert commented.status_code == 201, commented.text
    assert [c["body"] for c in a.get(f"/api/articles/{slug}/comments").json()["comments"]] == ["through B"]

    assert a.post(f"/api/articles/{slug}/favorite", headers=bearer(reader["token"])).status_code == 200
    favorited = b.get(f"/api/articles/{slug}", headers=bearer(reader["token"])).json()["article"]
    assert (favorited["favorited"], favorited["favoritesCount"]) == (True, 1)

    listed = a.get("/api/articles", params={"tag": tag}).json()
    assert [article["slug"] for article in listed["articles"]] == [slug]


def test_a_session_ended_through_one_replica_is_refused_by_the_other_at_once(
    replicas: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = replicas
    name = unique("leaver")
    first = register(a, name)
    second_login = log_in(b, name)
    assert second_login.status_code == 200, second_login.text
    second = second_login.json()["user"]
    assert b.get("/api/user", headers=bearer(first["token"])).status_code == 200

    assert a.post("/api/auth/logout", headers=bearer(first["token"])).status_code == 204
    refused = b.get("/api/user", headers=bearer(first["token"]))
    assert refused.status_code == 401, refused.text
    assert "errors" in refused.json()
    assert b.post("/api/auth/refresh", json={"refresh_token": first["refreshToken"]}).status_code == 401
    assert a.get("/api/user", headers=bearer(second["token"])).status_code == 200, "logout ends only its session"

    assert b.post("/api/auth/logout-all", headers=bearer(second["token"])).status_code == 204
    assert a.get("/api/user", headers=bearer(second["token"])).status_code == 401
    assert a.post("/api/auth/refresh", json={"refresh_token": second["refreshToken"]}).status_code == 401


def attempts(replicas: tuple[httpx.Client, httpx.Client], *, emails: list[str], addresses: list[str]) -> list[int]:
    """Log-ins with a wrong password, taking turns between the replicas; the statuses they got."""
    statuses = []
    for number, (email, address) in enumerate(zip(emails, addresses, strict=True)):
        replica = replicas[number % 2]
        response = replica.post("/api/users/login", headers={"X-Forwarded-For": address},
                                json={"user": {"email": email, "password": f"not {PASSWORD}"}})
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["retry-after"]) >= 1
            assert response.json() == {"errors": {"log in": ["too many attempts, try again later"]}}
    return statuses


def test_the_login_limit_per_account_is_one_count_for_both_replicas(
    replicas: tuple[httpx.Client, httpx.Client],
) -> None:
    email = f"{unique('target')}@example.com"
    tries = LOGINS_PER_MINUTE + 2
    statuses = attempts(replicas, emails=[email] * tries, addresses=[client_address() for _ in range(tries)])
    assert statuses == [401] * LOGINS_PER_MINUTE + [429, 429]


def test_the_login_limit_per_client_address_is_one_count_for_both_replicas(
    replicas: tuple[httpx.Client, httpx.Client],
) -> None:
    address = client_address()
    tries = LOGINS_PER_MINUTE + 2
    emails = [f"{unique('guess')}@example.com" for _ in range(tries)]
    statuses = attempts(replicas, emails=emails, addresses=[address] * tries)
    assert statuses == [401] * LOGINS_PER_MINUTE + [429, 429]
    # The count belongs to that address only: the next client behind the proxy is not refused.
    fresh = attempts(replicas, emails=[f"{unique('guess')}@example.com"], addresses=[client_address()])
    assert fresh == [401]
