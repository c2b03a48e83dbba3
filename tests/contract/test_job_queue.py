"""JobQueue contract: published tickets reach the workers in order, each as a message that names the job
type and carries the job's id and nothing else; a broker that is down is DependencyUnavailable."""

import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest
from dramatiq.broker import Broker

from adapters.memory.queue import MemoryJobQueue
from adapters.queue.brokers import in_process_broker, rabbitmq_broker, redis_broker
from adapters.queue.dramatiq_queue import DramatiqJobQueue
from application.errors import DependencyUnavailable
from application.ports.jobs import JobQueue, JobTicket
from domain.ids import JobId
from tests.services import RABBITMQ_URL, REDIS_URL, forget_queues, require_rabbitmq, require_redis
from tests.smtp_sink import free_port

BACKENDS = ["memory", "in-process", "redis", pytest.param("rabbitmq", marks=pytest.mark.rabbitmq)]


@dataclass
class QueueBench:
    queue: JobQueue
    received: Callable[[int], list[tuple[str, tuple[object, ...]]]]  # (actor, args) of the next n messages


def _tickets(n: int) -> list[JobTicket]:
    return [JobTicket(JobId(uuid.uuid4()), "send_verification_mail" if i % 2 else "build_export") for i in range(n)]


def _dramatiq_bench(broker: Broker, prefix: str) -> QueueBench:
    queues = {"send_verification_mail": f"{prefix}-mail", "build_export": f"{prefix}-exports"}
    queue = DramatiqJobQueue(broker, queues)

    def received(n: int) -> list[tuple[str, tuple[object, ...]]]:
        """The next `n` messages, read queue by queue: order holds within a queue only."""
        found: list[tuple[str, tuple[object, ...]]] = []
        for name in sorted(set(queues.values())):
            consumer = broker.consume(name, prefetch=n, timeout=200)
            idle = 0
            while len(found) < n and idle < 5:
                message = next(consumer)
                if message is None:
                    idle += 1
                    continue
                found.append((message.actor_name, tuple(message.args)))
                consumer.ack(message)
            consumer.close()
        return found

    return QueueBench(queue, received)


@pytest.fixture(params=BACKENDS)
async def bench(request: pytest.FixtureRequest) -> AsyncIterator[QueueBench]:
    prefix = f"contract-{secrets.token_hex(4)}"
    if request.param == "memory":
        queue = MemoryJobQueue()
        yield QueueBench(queue, lambda n: [(t.type, (str(t.job_id),)) for t in queue.waiting[:n]])
        return
    if request.param == "redis":
        require_redis()
        broker = redis_broker(REDIS_URL, namespace=prefix)
    elif request.param == "rabbitmq":
        require_rabbitmq()
        broker = rabbitmq_broker(RABBITMQ_URL)
    else:
        broker = in_process_broker()
    try:
        yield _dramatiq_bench(broker, prefix)
    finally:
        broker.close()
        if request.param in ("redis", "rabbitmq"):
            forget_queues(prefix)


async def test_published_tickets_arrive_as_messages_with_the_job_id_only(bench: QueueBench) -> None:
    tickets = _tickets(4)
    await bench.queue.publish(tickets)
    received = bench.received(4)
    assert sorted(received, key=str) == sorted(((t.type, (str(t.job_id),)) for t in tickets), key=str)


async def test_tickets_of_one_type_arrive_in_publication_order(bench: QueueBench) -> None:
    tickets = [JobTicket(JobId(uuid.uuid4()), "build_export") for _ in range(3)]
    await bench.queue.publish(tickets[:2])
    await bench.queue.publish(tickets[2:])
    assert [args for _, args in bench.received(3)] == [(str(t.job_id),) for t in tickets]


@pytest.mark.parametrize("make_broker", [
    pytest.param(lambda: redis_broker(f"redis://127.0.0.1:{free_port()}/15", namespace="down"), id="redis"),
    pytest.param(lambda: rabbitmq_broker(f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F"), id="rabbitmq"),
])
async def test_a_broker_that_is_down_is_dependency_unavailable(make_broker: Callable[[], Broker]) -> None:
    broker = make_broker()
    queue = DramatiqJobQueue(broker, {"build_export": "down-exports"})
    with pytest.raises(DependencyUnavailable) as raised:
        await queue.publish([JobTicket(JobId(uuid.uuid4()), "build_export")])
    assert raised.value.dependency == "broker"
    broker.close()
