"""The API's Prometheus metrics: requests by route template, refusals (rate limits, busy password hashing),
log-in outcomes, and what is read only when `/metrics` is scraped: connection pools, hashing, the job table.

Each app keeps its metrics in a registry of its own, not prometheus_client's global one, so that the apps
that tests build side by side in one process count separately.
"""

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily, Metric
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.views import JobStats
from domain.jobs import PENDING, JobStatus

# Labels stay few whatever callers send: a path no route matched is one label, never the raw path, and
# so is any method outside HTTP's usual ones.
UNMATCHED = "unmatched"
OTHER_METHOD = "OTHER"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# Each counter and histogram would also export when each of its label sets was first seen, as a series
# of its own: as many series again, which no dashboard or alert here reads.
disable_created_metrics()  # type: ignore[no-untyped-call]

LOGIN_ROUTES = frozenset({"/api/users/login", "/api/auth/token"})
# Set in the scope by the error handler that answers a request refused because password hashing is
# saturated, so that a busy 503 is told apart from one for a dependency that is down.
REFUSED_BUSY = "inkwell.refused_busy"


class HashingLoad(Protocol):
    @property
    def hashing(self) -> int: ...

    @property
    def waiting(self) -> int: ...

    @property
    def longest_wait(self) -> float: ...


class HttpMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status")
        self._requests = Counter(
            "inkwell_http_requests", "HTTP requests answered, by method, route template and status.", labels,
            registry=self.registry,
        )
        self._duration = Histogram(
            "inkwell_http_request_duration_seconds",
            "Time from a request's arrival to the end of its answer, by method, route template and status.",
            labels, registry=self.registry,
        )
        self.in_flight = Gauge("inkwell_http_requests_in_flight", "Requests being served now.", registry=self.registry)
        self._rate_limited = Counter(
            "inkwell_rate_limited", "Requests refused with 429 by a rate limit, by the limit's scope.", ("scope",),
            registry=self.registry,
        )
        self._logins = Counter(
            "inkwell_logins", "Log-in attempts by route template and outcome: succeeded, failed, rate_limited, "
            "refused_busy (password hashing saturated), unavailable, invalid (a malformed request) or error.",
            ("route", "outcome"), registry=self.registry,
        )
        # Label children by (method, route template, status), made on first use: `labels()` costs a lock
        # and a lookup of its own on every call.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram, str | None]] = {}

    def watch(
        self,
        *,
        pools: Callable[[], Mapping[str, Callable[[], int]]],
        hashing: Callable[[], HashingLoad | None],
    ) -> None:
        """Read `pools` (connections in use, by pool) and `hashing` whenever the metrics are scraped."""
        self.registry.register(_Resources(pools, hashing))

    def answered(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope["method"]
        if method not in METHODS:
            method = OTHER_METHOD
        route = scope.get("route")
        template: str = getattr(route, "path_format", UNMATCHED) if route is not None else UNMATCHED
        key = (method, template, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = self._new_children(method, template, status)
        requests, duration, login_route = children
        requests.inc()
        duration.observe(seconds)
        if login_route is not None:
            self._logins.labels(login_route, _login_outcome(status, busy=REFUSED_BUSY in scope)).inc()

    def _new_children(self, method: str, template: str, status: int) -> tuple[Counter, Histogram, str | None]:
        labels = (method, template, str(status))
        login_route = template if method == "POST" and template in LOGIN_ROUTES else None
        return self._requests.labels(*labels), self._duration.labels(*labels), login_route

    def rate_limited(self, scope: str) -> None:
        self._rate_limited.labels(scope).inc()

    def render(self, encode: Callable[[Any], bytes], *scraped: Metric) -> bytes:
        """The registry's metrics and `scraped`, those read for this scrape alone, in the format of `encode`."""
        return encode(_Collected([*self.registry.collect(), *scraped]))


def _login_outcome(status: int, *, busy: bool) -> str:
    if status < 400:
        return "succeeded"
    if status == 401:
        return "failed"
    if status == 429:
        return "rate_limited"
    if status == 503:
        return "refused_busy" if busy else "unavailable"
    return "invalid" if status < 500 else "error"


def of(request: Request) -> HttpMetrics | None:
    metrics: HttpMetrics | None = getattr(request.app.state, "metrics", None)
    return metrics


class RequestMetrics:
    """Counts and times every HTTP request by route template and status, and the requests in flight.

    The route is known only once the router has run: it is read from `scope["route"]` afterwards.
    """

    def __init__(self, app: ASGIApp, *, metrics: HttpMetrics) -> None:
        self.app = app
        self._metrics = metrics
        self._in_flight = metrics.in_flight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what an error that escapes the app is answered with, further out

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self._in_flight.inc()
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_status)
        finally:
            self._in_flight.dec()
            self._metrics.answered(scope, status, time.perf_counter() - started)


class _Resources:
    """Connection pools and password hashing, read when scraped rather than kept up to date."""

    def __init__(
        self, pools: Callable[[], Mapping[str, Callable[[], int]]], hashing: Callable[[], HashingLoad | None]
    ) -> None:
        self._pools = pools
        self._hashing = hashing

    def describe(self) -> Iterable[Metric]:
        return self._families(pools={}, hashing=None)

    def collect(self) -> Iterable[Metric]:
        return self._families(pools={name: in_use() for name, in_use in self._pools().items()},
                              hashing=self._hashing())

    @staticmethod
    def _families(*, pools: Mapping[str, int], hashing: HashingLoad | None) -> list[Metric]:
        in_use = GaugeMetricFamily(
            "inkwell_db_pool_connections_in_use", "Database connections lent out, by pool: write (units of "
            "work) or read (queries).", labels=["pool"],
        )
        for name, count in pools.items():
            in_use.add_metric([name], count)
        busy = GaugeMetricFamily("inkwell_password_hashing_threads_busy", "Password hashes running now.")
        waiting = GaugeMetricFamily(
            "inkwell_password_hashing_waiting", "Password hashes waiting for a thread now; past "
            "PASSWORD_HASHING_MAX_WAITING more are refused with 503.",
        )
        longest = GaugeMetricFamily(
            "inkwell_password_hashing_longest_wait_seconds", "The longest a password hash has waited for a "
            "hashing thread since the process started.",
        )
        if hashing is not None:
            busy.add_metric([], hashing.hashing)
            waiting.add_metric([], hashing.waiting)
            longest.add_metric([], hashing.longest_wait)
        return [in_use, busy, waiting, longest]


def job_families(stats: JobStats | None, now: datetime) -> list[Metric]:
    """The job table's metrics; with `stats` None (the database did not answer) only the failure is told."""
    up = GaugeMetricFamily(
        "inkwell_job_stats_up", "1 when the job table answered this scrape, 0 when it did not.",
        value=0 if stats is None else 1,
    )
    if stats is None:
        return [up]
    by_status = GaugeMetricFamily("inkwell_jobs", "Jobs in the job table, by status.", labels=["status"])
    for status, count in stats.by_status.items():
        by_status.add_metric([status.value], count)
    oldest = stats.oldest_queued_at
    return [
        up,
        by_status,
        GaugeMetricFamily("inkwell_jobs_queue_depth", "Jobs waiting to run: queued, or retrying after a failure.",
                          value=sum(stats.by_status[status] for status in PENDING)),
        GaugeMetricFamily("inkwell_jobs_dead", "Jobs given up on, which an administrator may queue again.",
                          value=stats.by_status[JobStatus.DEAD]),
        GaugeMetricFamily("inkwell_jobs_oldest_queued_age_seconds",
                          "How long the job longest in `queued` has waited; 0 when none is queued.",
                          value=0 if oldest is None else max((now - oldest).total_seconds(), 0.0)),
    ]


class _Collected:
    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterable[Metric]:
        return self._metrics
