"""Publishing jobs as Dramatiq messages: one per job, to the actor named after its type, carrying its id."""

import asyncio
from collections.abc import Mapping, Sequence

import pika.exceptions
import redis.exceptions
from dramatiq.broker import Broker
from dramatiq.errors import BrokerConnectionError
from dramatiq.message import Message

from application.errors import DependencyUnavailable
from application.ports.jobs import JobQueue, JobTicket

_UNREACHABLE = (
    BrokerConnectionError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
    pika.exceptions.AMQPError, OSError,
)


class DramatiqJobQueue(JobQueue):
    """`queues` maps each job type to its queue's name. Dramatiq's clients block, so publishing runs in
    a thread; RabbitMQ's keeps a connection per thread, which the default executor reuses."""

    def __init__(self, broker: Broker, queues: Mapping[str, str]) -> None:
        self._broker = broker
        self._queues = dict(queues)
        for queue_name in set(self._queues.values()):
            broker.declare_queue(queue_name)

    async def publish(self, tickets: Sequence[JobTicket]) -> None:
        messages: list[Message[object]] = [
            Message(queue_name=self._queues[ticket.type], actor_name=ticket.type, args=(str(ticket.job_id),),
                    kwargs={}, options={})
            for ticket in tickets
        ]
        try:
            await asyncio.to_thread(self._enqueue, messages)
        except _UNREACHABLE as error:
            raise DependencyUnavailable("broker") from error

    def _enqueue(self, messages: list[Message[object]]) -> None:
        for message in messages:
            self._broker.enqueue(message)
