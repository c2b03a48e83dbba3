"""Which real services the tests may use: skip when one is absent, fail instead under REQUIRE_SERVICES=1.

TEST_POSTGRES_URL, TEST_REDIS_URL and TEST_RABBITMQ_URL say where the servers are; the checks below ask
the host and port those URLs name."""

import os
import socket
from urllib.parse import urlsplit

import pytest

from entrypoints.settings import normalized_database_url

# Any form Inkwell accepts (postgres://, postgresql://...), as the driver URL the tests use.
POSTGRES_URL = normalized_database_url(
    os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
# Database 0 is where a developer's own Redis data lives, and what every client picks by default.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")

DEFAULT_PORTS = {"postgresql": 5432, "redis": 6379, "amqp": 5672}


def address(url: str) -> tuple[str, int]:
    """The host and port a service URL points at, with the scheme's default port."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    return parts.hostname or "127.0.0.1", parts.port or DEFAULT_PORTS[scheme]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(name: str, url: str) -> None:
    """Skip the calling test or fixture when `name` is not listening, unless services are required."""
    host, port = address(url)
    if _reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} and REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)


def require_postgres() -> None:
    require("PostgreSQL", POSTGRES_URL)


def require_redis() -> None:
    require("Redis", REDIS_URL)


def require_rabbitmq() -> None:
    require("RabbitMQ", RABBITMQ_URL)


def forget_queues(prefix: str) -> None:
    """Delete the queues and keys a test's job queue prefix left in RabbitMQ and Redis."""
    import pika
    import redis

    if _reachable(*address(RABBITMQ_URL)):
        connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
        channel = connection.channel()
        for queue in ("mail", "exports"):
            for suffix in ("", ".DQ", ".XQ"):
                channel.queue_delete(f"{prefix}-{queue}{suffix}")
        connection.close()
    if _reachable(*address(REDIS_URL)):
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def require_program(name: str, path: str) -> None:
    """Skip the calling test or fixture when the program `path` is not installed, unless services are required."""
    if os.access(path, os.X_OK):
        return
    message = f"{name} is not installed at {path}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} and REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)
