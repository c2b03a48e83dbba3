"""Readiness of the Dramatiq broker: Redis answers PING, RabbitMQ accepts a connection."""

import asyncio

import pika
from dramatiq.broker import Broker
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

from application.ports.health import DependencyProbe


class BrokerProbe(DependencyProbe):
    name = "broker"

    def __init__(self, broker: Broker) -> None:
        self._broker = broker

    async def check(self) -> None:
        await asyncio.to_thread(self._check)

    def _check(self) -> None:
        if isinstance(self._broker, RedisBroker):
            self._broker.client.ping()
        elif isinstance(self._broker, RabbitmqBroker):
            pika.BlockingConnection(self._broker.parameters).close()
