"""Which real services the tests may use: skip when one is absent, fail instead under REQUIRE_SERVICES=1."""

import os
import socket

import pytest

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(name: str, host: str, port: int) -> None:
    """Skip the calling test or fixture when `name` is not listening, unless services are required."""
    if _reachable(host, port):
        return
    message = f"{name} is not reachable on {host}:{port}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} and REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)


def require_postgres() -> None:
    require("PostgreSQL", "127.0.0.1", 5432)


def require_redis() -> None:
    require("Redis", "127.0.0.1", 6379)


RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")


def require_rabbitmq() -> None:
    require("RabbitMQ", "127.0.0.1", 5672)


def forget_queues(prefix: str) -> None:
    """Delete the queues and keys a test's job queue prefix left in RabbitMQ and Redis."""
    import pika
    import redis

    if _reachable("127.0.0.1", 5672):
        connection = pika.BlockingConnection(pika.URLParameters(RABBITMQ_URL))
        channel = connection.channel()
        for queue in ("mail", "exports"):
            for suffix in ("", ".DQ", ".XQ"):
                channel.queue_delete(f"{prefix}-{queue}{suffix}")
        connection.close()
    if _reachable("127.0.0.1", 6379):
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
        client.close()
