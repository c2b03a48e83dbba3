"""bcrypt password hashing behind a peppered pre-hash, run on threads of its own at a lower priority."""

import asyncio
import base64
import contextlib
import hashlib
import hmac
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import bcrypt

from application.errors import Overloaded
from application.ports.security import PasswordHasher

T = TypeVar("T")
# Hashes that may wait for a thread beyond those running: at about 0.2 s a hash and one thread per
# core, 16 drain in under two seconds on two cores. Beyond them a log-in is refused with 503 at once.
DEFAULT_MAX_WAITING = 16


class BcryptPasswordHasher(PasswordHasher):
    """Passwords are first turned into base64(HMAC-SHA384(pepper, password)), 64 ASCII bytes, so any
    length is hashed whole (bcrypt alone stops at 72 bytes) and a stolen hash is useless without the
    pepper.

    A hash is the most expensive thing the API does (about 0.2 s of CPU at cost 12). bcrypt releases
    the GIL, so hashes run on a pool of threads: by default one per core but one, which is left to the
    event loop. On Linux those threads run at a lower scheduling priority (`HASHING_NICENESS`), so that
    a storm of log-ins takes the CPU the requests leave over instead of a share of theirs: the event
    loop, the database and Redis come first. Priority cannot stop a hashing thread on the loop core's
    SMT sibling from slowing the loop: on 2 cores, `scripts/bench` measured the current user at 79 %
    of its throughput alone during a storm of log-ins with two threads, 86 % with one, and log-ins per
    second the same (3.1 and 3.0); embedded, 78 % and 89 %.
    """

    def __init__(
        self, *, pepper: str, rounds: int = 12, threads: int | None = None, max_waiting: int = DEFAULT_MAX_WAITING
    ) -> None:
        if not 4 <= rounds <= 31:
            raise ValueError("bcrypt rounds must be between 4 and 31")
        self._pepper = pepper.encode()
        self._rounds = rounds
        # Verified against when the account does not exist, so that path costs the same.
        self._dummy = bcrypt.hashpw(b"inkwell-dummy-password", bcrypt.gensalt(rounds))
        slots = threads or max(1, (os.cpu_count() or 1) - 1)
        self._threads = ThreadPoolExecutor(
            max_workers=slots, thread_name_prefix="bcrypt", initializer=_yield_to_requests
        )
        self._slots = slots
        self._max_waiting = max_waiting
        self._pending = 0  # hashing or waiting for a thread
        self._pending_lock = threading.Lock()
        self._seconds_per_hash = 0.25  # a first guess, then a moving average of what hashing took
        self._longest_wait = 0.0

    async def hash(self, plain: str) -> str:
        return await self._run(self._hash, plain)

    async def verify(self, plain: str, hashed: str | None) -> bool:
        return await self._run(self._verify, plain, hashed)

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        """Backpressure: beyond `max_waiting` hashes waiting for a thread, refuse at once with an estimate
        of when the queue will have drained (Overloaded), instead of letting callers wait for minutes."""
        with self._pending_lock:
            if self._pending >= self._slots + self._max_waiting:
                drained = self._pending / self._slots * self._seconds_per_hash
                raise Overloaded("password hashing", retry_after=max(1, math.ceil(drained)))
            self._pending += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(
                self._threads, self._timed, time.perf_counter(), work, *args
            )
        finally:
            with self._pending_lock:
                self._pending -= 1

    def _timed(self, submitted: float, work: Callable[..., T], *args: Any) -> T:
        started = time.perf_counter()
        try:
            return work(*args)
        finally:
            elapsed = time.perf_counter() - started
            with self._pending_lock:
                self._seconds_per_hash += (elapsed - self._seconds_per_hash) * 0.2
                self._longest_wait = max(self._longest_wait, started - submitted)

    @property
    def hashing(self) -> int:
        """Hashes running on the hashing threads right now, for monitoring."""
        return min(self._pending, self._slots)

    @property
    def waiting(self) -> int:
        """Hashes waiting for a hashing thread right now, for monitoring; beyond `max_waiting`, callers
        are refused instead."""
        return max(self._pending - self._slots, 0)

    @property
    def longest_wait(self) -> float:
        """The longest a hash has waited for a hashing thread since the process started, in seconds:
        with `max_waiting`, the bound on how long a log-in can queue before it is refused instead."""
        return self._longest_wait

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)

    def _hash(self, plain: str) -> str:
        return bcrypt.hashpw(self._prehash(plain), bcrypt.gensalt(self._rounds)).decode()

    def _verify(self, plain: str, hashed: str | None) -> bool:
        target = hashed.encode() if hashed else self._dummy
        try:
            matches = bcrypt.checkpw(self._prehash(plain), target)
        except ValueError:  # a malformed stored hash never matches
            return False
        return matches and hashed is not None

    def _prehash(self, plain: str) -> bytes:
        return base64.b64encode(hmac.new(self._pepper, plain.encode(), hashlib.sha384).digest())


# Nice 19 weighs about 1/70 of a normal thread in Linux's scheduler: request handling (and PostgreSQL
# and Redis beside it) take whatever CPU they need, log-ins the rest; alone, a log-in is as fast as ever.
# With nice 10 (a tenth), `scripts/bench` measured the current user at 77 % of its throughput alone
# during a storm of log-ins on 2 cores.
HASHING_NICENESS = 19


def _yield_to_requests() -> None:
    """Lower the priority of the calling hashing thread only. Linux keeps a niceness per thread (its id
    is the `who` of PRIO_PROCESS); elsewhere the call would reach the whole process, so it is skipped."""
    if sys.platform != "linux":
        return
    with contextlib.suppress(OSError):  # a sandbox may forbid it; hashing then runs at normal priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)
