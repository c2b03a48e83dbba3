"""GET /metrics: Prometheus metrics for holders of the service API key only (checklist item 22), requests
labelled by route template and never by raw path, log-in outcomes, rate-limit refusals, the job table, and
the connection pools and password hashing read when scraped."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError

from adapters.security.bcrypt_hasher import BcryptPasswordHasher
from adapters.sql.migrations import upgrade
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.http.conftest import auth, make_settings, register

KEY = "a-service-api-key-of-at-least-32-bytes"
WITH_KEY = {"X-API-Key": KEY}
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
def app() -> FastAPI:
    return create_app(make_settings(service_api_key=KEY))


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics", headers=WITH_KEY)
    assert response.status_code == 200, response.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def requests(samples: Samples, method: str, route: str, status: int) -> float | None:
    return value(samples, "inkwell_http_requests_total", method=method, route=route, status=str(status))


def log_ins(samples: Samples, outcome: str, route: str = "/api/users/login") -> float | None:
    return value(samples, "inkwell_logins_total", route=route, outcome=outcome)


async def test_service_routes_take_the_service_api_key_and_no_user_token_checklist_22(
    client: httpx.AsyncClient,
) -> None:
    missing = await client.get("/metrics")
    assert missing.status_code == 401
    assert missing.json() == {"errors": {"api key": ["is missing"]}}
    for wrong in ("not-the-key", KEY[:-1] + "X", KEY + "X", KEY.upper()):
        refused = await client.get("/metrics", headers={"X-API-Key": wrong})
        assert refused.status_code == 403, wrong
        assert refused.json() == {"errors": {"api key": ["is invalid"]}}
    assert (await client.get("/metrics", headers={"X-API-Key": ""})).status_code == 401

    user = await register(client)
    for scheme in ("Bearer", "Token"):
        with_token = await client.get("/metrics", headers=auth(user["token"], scheme))
        assert with_token.status_code == 401
        assert with_token.json() == {"errors": {"api key": ["is missing"]}}

    key_on_a_user_route = await client.get("/api/user", headers=WITH_KEY)
    assert key_on_a_user_route.status_code == 401
    assert key_on_a_user_route.json() == {"errors": {"token": ["is missing"]}}
    key_as_a_token = await client.get("/api/user", headers=auth(KEY, "Bearer"))
    assert key_as_a_token.status_code == 401

    accepted = await client.get("/metrics", headers=WITH_KEY)
    assert accepted.status_code == 200
    assert accepted.headers["content-type"] == CONTENT_TYPE_PLAIN_0_0_4
    assert "inkwell_http_requests_total" in accepted.text


async def test_metrics_are_off_until_a_key_is_configured() -> None:
    app = create_app(make_settings())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://inkwell.test") as client:
        for headers in ({}, WITH_KEY):
            response = await client.get("/metrics", headers=headers)
            assert response.status_code == 404
            assert response.json() == {"errors": {"metrics": ["are disabled until SERVICE_API_KEY is set"]}}


def test_a_short_key_or_worker_metrics_without_a_key_refuse_to_start() -> None:
    with pytest.raises(ValidationError, match="SERVICE_API_KEY must be at least 32 bytes"):
        make_settings(service_api_key="k" * 31)
    with pytest.raises(ValidationError, match="WORKER_METRICS_PORT needs SERVICE_API_KEY"):
        make_settings(worker_metrics_port=9300)
    assert make_settings(service_api_key="k" * 32, worker_metrics_port=9300).worker_metrics_port == 9300


def test_metrics_stay_out_of_the_openapi_document(app: FastAPI) -> None:
    assert "/metrics" not in app.openapi()["paths"]


async def test_requests_are_counted_by_route_template_and_status_never_by_raw_path(client: httpx.AsyncClient) -> None:
    await client.get("/api/articles/first-missing-slug")
    await client.get("/api/articles/second-missing-slug")
    await client.get("/api/tags")
    await client.get("/api/secret-path-7f3a/below")
    await client.request("BREW", "/api/tags")

    samples = await scrape(client)
    assert requests(samples, "GET", "/api/articles/{slug}", 404) == 2
    assert requests(samples, "GET", "/api/tags", 200) == 1
    assert requests(samples, "GET", "unmatched", 404) == 1
    assert requests(samples, "OTHER", "/api/tags", 405) == 1
    assert value(samples, "inkwell_http_request_duration_seconds_count",
                 method="GET", route="/api/articles/{slug}", status="404") == 2
    assert not any("missing-slug" in str(labels) or "secret-path" in str(labels) for _, labels in samples)


async def test_requests_in_flight_are_gauged(client: httpx.AsyncClient) -> None:
    reading, release = asyncio.Event(), asyncio.Event()

    async def held_body() -> AsyncIterator[bytes]:
        reading.set()
        await release.wait()
        yield b'{"user": {}}'

    held = asyncio.create_task(
        client.post("/api/users", content=held_body(), headers={"Content-Type": "application/json"})
    )
    await asyncio.wait_for(reading.wait(), 10)
    # The scrape itself is in flight too.
    assert value(await scrape(client), "inkwell_http_requests_in_flight") == 2
    release.set()
    assert (await held).status_code == 422
    assert value(await scrape(client), "inkwell_http_requests_in_flight") == 1


async def test_log_in_outcomes_are_counted_by_route(client: httpx.AsyncClient) -> None:
    user = await register(client)
    right = {"user": {"email": user["email"], "password": user["password"]}}
    wrong = {"user": {"email": user["email"], "password": "not the password"}}
    assert (await client.post("/api/users/login", json=right)).status_code == 200
    assert (await client.post("/api/users/login", json=wrong)).status_code == 401
    assert (await client.post("/api/users/login", json={"user": {}})).status_code == 422
    form = {"username": user["email"], "password": user["password"]}
    assert (await client.post("/api/auth/token", data=form)).status_code == 200

    samples = await scrape(client)
    assert log_ins(samples, "succeeded") == 1
    assert log_ins(samples, "failed") == 1
    assert log_ins(samples, "invalid") == 1
    assert log_ins(samples, "succeeded", route="/api/auth/token") == 1
    assert not any(name == "inkwell_logins_total" and dict(labels)["route"] == "/api/users"
                   for name, labels in samples)


async def test_log_ins_refused_while_hashing_is_saturated_count_as_refused_busy(
    client: httpx.AsyncClient, one_slot_hasher: BcryptPasswordHasher
) -> None:
    user = await register(client)
    credentials = {"user": {"email": user["email"], "password": user["password"]}}
    answers = await asyncio.gather(*(client.post("/api/users/login", json=credentials) for _ in range(5)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 200, 503, 503, 503]

    samples = await scrape(client)
    assert log_ins(samples, "refused_busy") == 3
    assert log_ins(samples, "succeeded") == 2
    assert log_ins(samples, "unavailable") is None


async def test_rate_limited_log_ins_are_counted_by_the_limit_and_as_an_outcome() -> None:
    app = create_app(make_settings(service_api_key=KEY, rate_limits_enabled=True, rate_limit_login="2/minute"))
    async with _client(app) as client:
        wrong = {"user": {"email": "nobody@example.com", "password": "not the password"}}
        statuses = [(await client.post("/api/users/login", json=wrong)).status_code for _ in range(3)]
        assert statuses == [401, 401, 429]
        samples = await scrape(client)
    assert value(samples, "inkwell_rate_limited_total", scope="log in") == 1
    assert log_ins(samples, "rate_limited") == 1
    assert log_ins(samples, "failed") == 2


async def test_the_job_table_is_read_when_scraped(client: httpx.AsyncClient) -> None:
    await register(client)  # queues the verification mail, which no worker runs in the test profile
    samples = await scrape(client)
    assert value(samples, "inkwell_job_stats_up") == 1
    assert value(samples, "inkwell_jobs", status="queued") == 1
    assert value(samples, "inkwell_jobs", status="dead") == 0
    assert value(samples, "inkwell_jobs_queue_depth") == 1
    assert value(samples, "inkwell_jobs_dead") == 0
    age = value(samples, "inkwell_jobs_oldest_queued_age_seconds")
    assert age is not None and age >= 0


async def test_each_app_counts_only_its_own_requests() -> None:
    first, second = (create_app(make_settings(service_api_key=KEY)) for _ in range(2))
    async with _client(first) as one, _client(second) as other:
        await one.get("/api/tags")
        await one.get("/api/tags")
        await other.get("/api/tags")
        assert requests(await scrape(one), "GET", "/api/tags", 200) == 2
        assert requests(await scrape(other), "GET", "/api/tags", 200) == 1


def _embedded(data_dir: Path) -> Settings:
    return Settings(_env_file=None, inkwell_profile="embedded", data_dir=data_dir, bcrypt_rounds=4,  # type: ignore[call-arg]
                    log_level="WARNING", service_api_key=KEY, jwt_secret="j" * 40, password_pepper="p" * 40)


async def test_connection_pools_and_password_hashing_are_read_when_scraped(tmp_path: Path) -> None:
    settings = _embedded(tmp_path)
    upgrade(settings.resolved_database_url())
    app = create_app(settings)
    async with _client(app) as client:
        await register(client)
        samples = await scrape(client)
    for pool in ("write", "read"):
        assert value(samples, "inkwell_db_pool_connections_in_use", pool=pool) == 0
    assert value(samples, "inkwell_password_hashing_threads_busy") == 0
    assert value(samples, "inkwell_password_hashing_waiting") == 0
    assert 0 <= value(samples, "inkwell_password_hashing_longest_wait_seconds") < 10
    assert value(samples, "inkwell_jobs", status="queued") == 1


async def test_a_scrape_still_answers_when_the_job_table_cannot_be_read(tmp_path: Path) -> None:
    app = create_app(_embedded(tmp_path))  # a database without its schema: no job table to read
    async with _client(app) as client:
        samples = await scrape(client)
    assert value(samples, "inkwell_job_stats_up") == 0
    assert value(samples, "inkwell_jobs_queue_depth") is None
    assert value(samples, "inkwell_db_pool_connections_in_use", pool="read") == 0


@asynccontextmanager
async def _client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://inkwell.test") as client:
            yield client
