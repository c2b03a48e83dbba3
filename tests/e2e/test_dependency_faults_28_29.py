"""Security checklist 28 and 29: PostgreSQL or Redis cut off (refusing, as in a restart) or silent (as in a
network partition) while clients read and write. Every request that needs the lost dependency answers 503
in the error model within the configured timeouts, none answers 500 or hangs, the first requests after the
dependency returns succeed, and every write that was acknowledged is there afterwards.

One server, with short timeouts (`FAST_TIMEOUTS`), behind a TCP proxy for each dependency, serves every test
of the module in turn. Run with `-s` to see how long the 503s took during the PostgreSQL faults."""

import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.e2e.production import PASSWORD, Stack, bearer, production_stack, register
from tests.services import POSTGRES_URL, REDIS_URL, address
from tests.smtp_sink import smtp_sink
from tests.tcp_proxy import TcpProxy, tcp_proxy

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.redis]

FAST_TIMEOUTS = {
    "DATABASE_CONNECT_TIMEOUT_SECONDS": "2",
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": "1",
    "DATABASE_POOL_TIMEOUT_SECONDS": "1",
    "REDIS_CONNECT_TIMEOUT_SECONDS": "1",
    "REDIS_COMMAND_TIMEOUT_SECONDS": "1",
    "READINESS_TIMEOUT_SECONDS": "1",
}
# The rate limits stay on, since they ask Redis too, but so high that the load never meets them.
UNLIMITED = {"RATE_LIMITS_ENABLED": "true", "RATE_LIMIT_LOGIN": "100000/minute",
             "RATE_LIMIT_REGISTER": "100000/hour", "RATE_LIMIT_REFRESH": "100000/minute"}
# The longest a request may wait on a silent database with these settings: a turn at the pool (1 s), an
# answer that does not come (statement 1 s + 1 s), a new connection that is not accepted (2 s). A 503 must
# come within that and some slack; a client that hears nothing for CLIENT_TIMEOUT has met a hang.
SLACK = 2.0
ANSWER_BOUND = 1 + (1 + 1) + 2 + SLACK
CLIENT_TIMEOUT = 20.0
READINESS_BOUND = 1 + SLACK

CLIENTS = 6
HEALTHY, RECOVERY = 1.0, 2.5
# A silent dependency holds each request for seconds: the fault lasts long enough for several of them to
# start and end within it.
FAULT_SECONDS = {"cut": 3.0, "silent": 6.0}
UNAVAILABLE = {"errors": {"service": ["is temporarily unavailable"]}}

# What each kind of request needs: every one reads the database; all but the anonymous listing ask Redis
# about the caller's session.
NEEDS = {
    "write": {"database", "redis"},
    "me": {"database", "redis"},
    "list": {"database"},
    "log in": {"database", "redis"},
    "refresh": {"database", "redis"},
}


@dataclass(frozen=True)
class Outcome:
    kind: str
    started: float
    finished: float
    status: int | None  # None: no answer before the client gave up
    body: Any = None
    retry_after: str | None = None

    @property
    def elapsed(self) -> float:
        return self.finished - self.started


@dataclass
class Client:
    """One user's traffic: it writes articles, reads itself and the listing, logs in and refreshes."""

    http: httpx.Client
    name: str
    token: str
    refresh_token: str

    def request(self, kind: str) -> httpx.Response:
        if kind == "write":
            title = f"fault {uuid.uuid4().hex}"
            return self.http.post("/api/articles", headers=bearer(self.token), json={
                "article": {"title": title, "description": "d", "body": "b", "tagList": []}})
        if kind == "me":
            return self.http.get("/api/user", headers=bearer(self.token))
        if kind == "list":
            return self.http.get("/api/articles", params={"limit": 5})
        if kind == "log in":
            return self.http.post("/api/users/login", json={
                "user": {"email": f"{self.name}@example.com", "password": PASSWORD}})
        response = self.http.post("/api/auth/refresh", json={"refresh_token": self.refresh_token})
        if response.status_code == 200:
            self.refresh_token = response.json()["refresh_token"]
        return response


class Load:
    """`CLIENTS` clients, each sending one request after another, every kind in turn, until stopped."""

    def __init__(self, clients: list[Client]) -> None:
        self.outcomes: list[Outcome] = []
        self.written: list[str] = []
        self._clients = clients
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(client,)) for client in clients]

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=CLIENT_TIMEOUT + 5)

    def _run(self, client: Client) -> None:
        while not self._stop.is_set():
            for kind in NEEDS:
                self._record(client, kind)

    def _record(self, client: Client, kind: str) -> None:
        started = time.monotonic()
        try:
            response = client.request(kind)
        except httpx.TimeoutException:
            outcome = Outcome(kind, started, time.monotonic(), None)
        else:
            body = response.json() if response.content else None
            outcome = Outcome(kind, started, time.monotonic(), response.status_code, body,
                              response.headers.get("Retry-After"))
            if response.status_code == 201:
                with self._lock:
                    self.written.append(body["article"]["slug"])
        with self._lock:
            self.outcomes.append(outcome)


@dataclass(frozen=True)
class Fault:
    dependency: str  # "database" or "redis"
    mode: str  # "cut" (refused and reset, as in a restart) or "silent" (as in a partition)

    def start(self, proxy: TcpProxy) -> None:
        proxy.down() if self.mode == "cut" else proxy.blackhole()

    def end(self, proxy: TcpProxy) -> None:
        proxy.up() if self.mode == "cut" else proxy.restore()


@dataclass
class Proxied:
    stack: Stack
    http: httpx.Client
    proxies: dict[str, TcpProxy]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    with proxied_stack(tmp_path_factory.mktemp("faults")) as proxied:
        yield proxied


@pytest.fixture
def service(shared: Proxied) -> Iterator[Proxied]:
    """The shared server; afterwards both proxies forward again and the server is ready for the next test."""
    try:
        yield shared
    finally:
        for proxy in shared.proxies.values():
            proxy.heal()
        deadline = time.monotonic() + 15
        while shared.http.get("/health/ready").status_code != 200:
            assert time.monotonic() < deadline, "the server did not become ready again"
            time.sleep(0.2)


@contextmanager
def proxied_stack(workdir: Path) -> Iterator[Proxied]:
    """Inkwell in production, with FAST_TIMEOUTS, reaching PostgreSQL and Redis through a proxy each."""
    with smtp_sink() as sink, production_stack(workdir, "redis", sink) as stack, \
            tcp_proxy(*address(POSTGRES_URL)) as database, tcp_proxy(*address(REDIS_URL)) as redis:
        through = {"DATABASE_URL": database.url(stack.database_url), "REDIS_URL": redis.url(REDIS_URL)}
        with stack.serve(**FAST_TIMEOUTS, **UNLIMITED, **through) as http:
            yield Proxied(stack, http, {"database": database, "redis": redis})


def clients_of(base: str, count: int) -> list[Client]:
    clients = []
    for _ in range(count):
        name = f"client{uuid.uuid4().hex[:8]}"
        http = httpx.Client(base_url=base, timeout=CLIENT_TIMEOUT)
        user = register(http, name)
        clients.append(Client(http, name, user["token"], user["refreshToken"]))
    return clients


def stored_slugs(stack: Stack) -> set[str]:
    conninfo = make_url(stack.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as connection:
        return {row[0] for row in connection.execute("SELECT slug FROM articles")}


FAULTS = [Fault("database", "cut"), Fault("database", "silent"), Fault("redis", "cut"), Fault("redis", "silent")]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: f"{fault.dependency}-{fault.mode}")
def test_checklist_28_29_requests_that_need_a_lost_dependency_answer_503_in_bounded_time_and_recover(
    service: Proxied, fault: Fault
) -> None:
    proxy = service.proxies[fault.dependency]
    clients = clients_of(str(service.http.base_url), CLIENTS)
    with Load(clients) as load:
        time.sleep(HEALTHY)
        fault_at = time.monotonic()
        fault.start(proxy)
        time.sleep(1)
        readiness_asked = time.monotonic()
        readiness = service.http.get("/health/ready")
        readiness_took = time.monotonic() - readiness_asked
        time.sleep(FAULT_SECONDS[fault.mode] - (time.monotonic() - fault_at))
        restored_at = time.monotonic()
        fault.end(proxy)
        time.sleep(RECOVERY)
    for client in clients:
        client.http.close()
    stored = stored_slugs(service.stack)

    outcomes = load.outcomes
    assert [o for o in outcomes if o.status is None] == [], "a request hung until its client gave up"
    assert [o for o in outcomes if o.status not in (200, 201, 503)] == []
    refused = [o for o in outcomes if o.status == 503]
    assert all(o.body == UNAVAILABLE and o.retry_after for o in refused)
    assert max(o.elapsed for o in refused) <= ANSWER_BOUND

    during = [o for o in outcomes if o.started >= fault_at and o.finished <= restored_at]
    needing = [o for o in during if fault.dependency in NEEDS[o.kind]]
    assert needing and all(o.status == 503 for o in needing)
    assert all(o.status in (200, 201) for o in during if fault.dependency not in NEEDS[o.kind])

    after = [o for o in outcomes if o.started >= restored_at]
    assert after and [o for o in after if o.status not in (200, 201)] == [], "no recovery once the dependency returned"
    assert set(load.written) <= stored, "an acknowledged write is missing"

    assert readiness.status_code == 503 and readiness.json()["checks"][fault.dependency] == "unavailable"
    assert readiness_took <= READINESS_BOUND

    if fault.dependency == "database":
        latencies = sorted(o.elapsed for o in refused)
        print(f"\n503 latency, PostgreSQL {fault.mode}: {len(latencies)} answers, min {latencies[0]:.3f} s, "
              f"median {statistics.median(latencies):.3f} s, max {latencies[-1]:.3f} s")


def test_checklist_28_29_stale_pooled_connections_after_a_blip_fail_no_request(service: Proxied) -> None:
    """Both services restart while no request is under way: every pooled connection is stale, and the next
    burst of requests, one per pooled connection and more, all succeed."""
    clients = clients_of(str(service.http.base_url), CLIENTS * 2)
    burst(clients, "me")  # fills the pools with as many connections as there are clients
    for proxy in service.proxies.values():
        proxy.down()
        proxy.up()
    answers = burst(clients, "me") + burst(clients, "write")
    for client in clients:
        client.http.close()
    assert [response.status_code for response in answers] == [200] * len(clients) + [201] * len(clients)


def burst(clients: list[Client], kind: str) -> list[httpx.Response]:
    """One request from each client, all at once."""
    answers: dict[int, httpx.Response] = {}
    gate = threading.Barrier(len(clients))

    def send(index: int, client: Client) -> None:
        gate.wait()
        answers[index] = client.request(kind)

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=CLIENT_TIMEOUT)
    return [answers[index] for index in range(len(clients))]
