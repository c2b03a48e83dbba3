"""Readiness of the Dramatiq broker: Redis answers PING, RabbitMQ accepts a connection."""

import asyncio
import socket
from typing import Any

import pika
from dramatiq.broker import Broker
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from pika.exceptions import AMQPError, ProbableAuthenticationError
from redis.exceptions import RedisError

from application.ports.health import DependencyProbe, NotReady


class BrokerProbe(DependencyProbe):
    name = "broker"

    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    async def check(self) -> None:
        await asyncio.to_thread(self._check)

    def _check(self) -> None:
        if isinstance(self._broker, RedisBroker):
            try:
                self._broker.client.ping()
            except RedisError as error:  # redis-py says what failed and where, in words
                raise NotReady(f"Redis: {error}") from error
        elif isinstance(self._broker, RabbitmqBroker):
            parameters = self._broker.parameters
            try:
                pika.BlockingConnection(parameters).close()
            except (AMQPError, OSError) as error:
                raise NotReady(_rabbitmq_in_words(error, parameters)) from error


def _rabbitmq_in_words(error: AMQPError | OSError, parameters: Any) -> str:
    """`parameters` are one server's, or a list of servers' tried in turn (then the first is named)."""
    first = parameters[0] if isinstance(parameters, list) else parameters
    address = f"{first.host}:{first.port}"
    said = str(error).strip() or repr(error.args)
    if isinstance(error, ProbableAuthenticationError):
        return f"RabbitMQ: authentication refused at {address} ({said})"
    if "ConnectionRefusedError" in said:
        return f"RabbitMQ: nothing listens on {address} (connection refused)"
    if isinstance(error, socket.gaierror):
        return f"RabbitMQ: no host is named {first.host}"
    return f"RabbitMQ: {said} ({address})"
