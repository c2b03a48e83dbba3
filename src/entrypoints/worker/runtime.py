"""What a worker process shares between its threads: the container, and the event loop the jobs run on.

Dramatiq calls middleware and actors on its worker threads; everything that touches the database runs
on the one event loop thread of Dramatiq's AsyncIO middleware, where the container's connection pools
live, and the worker thread waits for it.
"""

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from dramatiq.asyncio import EventLoopThread, get_event_loop_thread
from dramatiq.broker import Broker

from entrypoints.container import Container, build_container
from entrypoints.settings import Settings

T = TypeVar("T")


class WorkerRuntime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.container: Container = build_container(settings)
        self._lock = threading.Lock()
        self._attempts: dict[str, int] = {}  # message id → the attempt its delivery claimed
        self._results: dict[str, dict[str, Any] | None] = {}  # message id → what its actor returned

    @property
    def broker(self) -> Broker:
        broker: Broker = self.container.queue.broker()
        return broker

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the event loop thread and wait for it on this one."""
        return _loop_thread(coroutine).run_coroutine(coroutine)

    def submit(self, coroutine: Coroutine[Any, Any, T]) -> "concurrent.futures.Future[T]":
        """Start `coroutine` on the event loop thread without waiting for it."""
        return asyncio.run_coroutine_threadsafe(coroutine, _loop_thread(coroutine).loop)

    def claimed(self, message_id: str, attempt: int) -> None:
        with self._lock:
            self._attempts[message_id] = attempt

    def attempt(self, message_id: str) -> int | None:
        with self._lock:
            return self._attempts.get(message_id)

    def finished(self, message_id: str) -> tuple[int | None, dict[str, Any] | None]:
        """Forget the message; return the attempt it claimed and the result its actor kept."""
        with self._lock:
            return self._attempts.pop(message_id, None), self._results.pop(message_id, None)

    def keep_result(self, message_id: str, result: dict[str, Any] | None) -> None:
        with self._lock:
            self._results[message_id] = result


def _loop_thread(coroutine: Coroutine[Any, Any, Any]) -> EventLoopThread:
    loop_thread = get_event_loop_thread()
    if loop_thread is None:
        coroutine.close()
        raise RuntimeError("the AsyncIO middleware has not started its event loop")
    return loop_thread
