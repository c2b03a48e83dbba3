"""BcryptPasswordHasher: peppered pre-hash, so every password is hashed whole; cheap rounds for speed."""

import asyncio
import os
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.security.bcrypt_hasher import HASHING_NICENESS, BcryptPasswordHasher
from application.errors import Overloaded
from domain.passwords import MAX_LENGTH, MIN_LENGTH

HASHER = BcryptPasswordHasher(pepper="unit-test-pepper", rounds=4)


async def test_round_trip() -> None:
    hashed = await HASHER.hash("correct horse battery")
    assert hashed.startswith("$2b$04$")
    assert await HASHER.verify("correct horse battery", hashed)


async def test_a_wrong_password_does_not_verify() -> None:
    hashed = await HASHER.hash("correct horse battery")
    assert not await HASHER.verify("correct horse batterY", hashed)


async def test_hashes_are_salted() -> None:
    assert await HASHER.hash("correct horse battery") != await HASHER.hash("correct horse battery")


@pytest.mark.parametrize("plain", ["", "inkwell-dummy-password", "correct horse battery"])
async def test_nothing_verifies_against_no_hash(plain: str) -> None:
    assert not await HASHER.verify(plain, None)


@pytest.mark.parametrize("stored", ["", "not-a-bcrypt-hash", "$2b$04$short"])
async def test_a_malformed_stored_hash_never_matches(stored: str) -> None:
    assert not await HASHER.verify("correct horse battery", stored)


async def test_another_pepper_does_not_verify() -> None:
    hashed = await HASHER.hash("correct horse battery")
    assert not await BcryptPasswordHasher(pepper="another-pepper", rounds=4).verify("correct horse battery", hashed)


@pytest.mark.parametrize("length", [72, 73, 100, MAX_LENGTH])
async def test_long_passwords_are_hashed_whole(length: int) -> None:
    password = "p" * length
    hashed = await HASHER.hash(password)
    assert await HASHER.verify(password, hashed)
    assert not await HASHER.verify(password + "x", hashed)
    assert not await HASHER.verify(password[:-1] + "q", hashed)


async def test_multibyte_passwords_past_72_bytes_are_hashed_whole() -> None:
    password = "é" * 40  # 80 bytes in UTF-8
    hashed = await HASHER.hash(password)
    assert await HASHER.verify(password, hashed)
    assert not await HASHER.verify(password + "x", hashed)


@pytest.mark.parametrize("password", ["pässwörd-ünïcode", "пароль-пароль", "密码密码密码密码", "🔑🔐🔑🔐🔑🔐🔑🔐!"])
async def test_non_ascii_round_trip(password: str) -> None:
    hashed = await HASHER.hash(password)
    assert await HASHER.verify(password, hashed)
    assert not await HASHER.verify(password[::-1], hashed)


@pytest.mark.parametrize("rounds", [3, 32])
def test_rounds_out_of_range_are_refused(rounds: int) -> None:
    with pytest.raises(ValueError, match="rounds"):
        BcryptPasswordHasher(pepper="p", rounds=rounds)


@settings(max_examples=8, deadline=None)
@given(st.text(min_size=MIN_LENGTH, max_size=MAX_LENGTH))
async def test_any_valid_password_round_trips(password: str) -> None:
    hashed = await HASHER.hash(password)
    assert await HASHER.verify(password, hashed)
    assert not await HASHER.verify(password + "x", hashed)


@pytest.mark.skipif(sys.platform != "linux", reason="a niceness per thread is Linux's")
async def test_hashing_runs_on_its_own_threads_at_a_lower_priority_than_the_event_loop() -> None:
    hasher = BcryptPasswordHasher(pepper="unit-test-pepper", rounds=4, threads=2)
    try:
        await asyncio.gather(*(hasher.hash("correct horse battery") for _ in range(4)))
        hashing = [thread for thread in threading.enumerate() if thread.name.startswith("bcrypt")]
        loop_priority = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        assert hashing
        for thread in hashing:
            assert thread.native_id is not None
            assert os.getpriority(os.PRIO_PROCESS, thread.native_id) == min(19, loop_priority + HASHING_NICENESS)
    finally:
        hasher.close()


async def test_hashes_beyond_the_running_and_waiting_ones_are_refused_at_once_with_a_retry_estimate() -> None:
    hasher = BcryptPasswordHasher(pepper="unit-test-pepper", rounds=10, threads=1, max_waiting=1)
    try:
        outcomes = await asyncio.gather(
            *(hasher.hash("correct horse battery") for _ in range(4)), return_exceptions=True
        )
        refused = [outcome for outcome in outcomes if isinstance(outcome, Overloaded)]
        hashed = [outcome for outcome in outcomes if isinstance(outcome, str)]
        assert (len(hashed), len(refused)) == (2, 2)
        assert all(refusal.retry_after >= 1 for refusal in refused)
        # Once the queue has drained, hashing is accepted again.
        assert await hasher.verify("correct horse battery", hashed[0])
    finally:
        hasher.close()


async def test_hashes_running_and_waiting_are_counted_for_monitoring() -> None:
    hasher = BcryptPasswordHasher(pepper="unit-test-pepper", rounds=10, threads=2, max_waiting=8)
    try:
        assert (hasher.hashing, hasher.waiting) == (0, 0)
        hashes = [asyncio.create_task(hasher.hash("correct horse battery")) for _ in range(5)]
        await asyncio.sleep(0)  # each has asked for a thread; none can have handed back its result yet
        assert (hasher.hashing, hasher.waiting) == (2, 3)
        await asyncio.gather(*hashes)
        assert (hasher.hashing, hasher.waiting) == (0, 0)
    finally:
        hasher.close()


async def test_the_longest_wait_for_a_hashing_thread_is_kept() -> None:
    one_hash = await _quickest_hash(rounds=10)
    hasher = BcryptPasswordHasher(pepper="unit-test-pepper", rounds=10, threads=1, max_waiting=8)
    try:
        assert hasher.longest_wait == 0
        started = time.perf_counter()
        await asyncio.gather(*(hasher.hash("correct horse battery") for _ in range(3)))
        took = time.perf_counter() - started
        # The third waited for the two before it on the one thread: longer than one hash takes, never
        # longer than the whole. (Not "most of the whole": on a busy machine the event loop may be kept
        # waiting far longer than the hashes.)
        assert one_hash < hasher.longest_wait < took
    finally:
        hasher.close()


async def _quickest_hash(*, rounds: int) -> float:
    """How long one hash takes at least, on a hasher of its own: a busy machine only ever adds time."""
    hasher = BcryptPasswordHasher(pepper="unit-test-pepper", rounds=rounds, threads=1)
    try:
        durations = []
        for _ in range(3):
            started = time.perf_counter()
            await hasher.hash("correct horse battery")
            durations.append(time.perf_counter() - started)
        return min(durations)
    finally:
        hasher.close()
