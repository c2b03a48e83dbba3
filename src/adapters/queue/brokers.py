"""Dramatiq brokers for each run mode, with no middleware of their own: the worker adds what it needs."""

from typing import Any

import redis
from dramatiq.broker import Broker
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

# How long an idle Redis consumer waits before it looks again, at most (milliseconds).
IDLE_POLL_MS = 100


class PromptRedisBroker(RedisBroker):
    """Dramatiq's Redis consumer polls an empty queue with a backoff that grows to the worker timeout
    (a second by default). Capped here, a job published to an idle worker starts within a tenth of a
    second, for ten small Redis calls a second per queue and process."""

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 5000) -> Any:
        return super().consume(queue_name, prefetch, min(timeout, IDLE_POLL_MS))


def redis_broker(
    url: str, *, namespace: str, connect_timeout: float | None = None, command_timeout: float | None = None
) -> Broker:
    """Timeouts left out are redis-py's defaults."""
    bounds = {"socket_connect_timeout": connect_timeout, "socket_timeout": command_timeout}
    client = redis.Redis.from_url(url, **{name: value for name, value in bounds.items() if value is not None})
    return PromptRedisBroker(client=client, namespace=namespace, middleware=[])  # type: ignore[no-untyped-call]


def rabbitmq_broker(url: str) -> Broker:
    # Publisher confirms: a publish returns once RabbitMQ has the message, so the relay never marks
    # a job published that the broker did not take.
    return RabbitmqBroker(url=url, confirm_delivery=True, middleware=[])


def in_process_broker() -> Broker:
    """Messages live in this process's memory; the job table, not the broker, makes them durable."""
    return StubBroker(middleware=[])
