"""TokenStore contract: live sessions as an allowlist, rotation with reuse detection, revoked token ids."""

import asyncio
from datetime import timedelta

import pytest

from domain.ids import SessionId, UserId, new_session_id
from domain.sessions import Rotation
from tests.contract.conftest import TokenStoreBench

MONTH = timedelta(days=30)


async def _open(bench: TokenStoreBench, user_id: UserId, token_id: str = "refresh-1",
                lasts: timedelta = MONTH) -> SessionId:
    session_id = new_session_id()
    await bench.store.open_session(
        session_id=session_id, user_id=user_id, refresh_token_id=token_id, ends_at=bench.now() + lasts
    )
    return session_id


async def _usable(bench: TokenStoreBench, session_id: SessionId, token_id: str = "access-1") -> bool:
    return await bench.store.is_usable(session_id=session_id, token_id=token_id)


async def test_an_open_session_is_usable(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user())
    assert await _usable(bench, session_id)


async def test_an_unknown_session_is_not_usable(bench: TokenStoreBench) -> None:
    assert not await _usable(bench, new_session_id())


async def test_the_live_token_rotates_again_and_again(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user(), "r1")
    assert await bench.store.rotate(session_id=session_id, presented_token_id="r1", next_token_id="r2") \
        is Rotation.ROTATED
    assert await bench.store.rotate(session_id=session_id, presented_token_id="r2", next_token_id="r3") \
        is Rotation.ROTATED
    assert await _usable(bench, session_id)


async def test_a_spent_token_presented_again_ends_the_session(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user(), "r1")
    await bench.store.rotate(session_id=session_id, presented_token_id="r1", next_token_id="r2")

    assert await bench.store.rotate(session_id=session_id, presented_token_id="r1", next_token_id="r9") \
        is Rotation.REUSED
    assert not await _usable(bench, session_id)
    # The newest token of the family dies with it.
    assert await bench.store.rotate(session_id=session_id, presented_token_id="r2", next_token_id="r3") \
        is Rotation.UNKNOWN


async def test_a_token_never_issued_for_the_session_ends_it(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user(), "r1")
    assert await bench.store.rotate(session_id=session_id, presented_token_id="forged", next_token_id="r2") \
        is Rotation.REUSED
    assert not await _usable(bench, session_id)


async def test_rotating_in_an_unknown_session_is_unknown(bench: TokenStoreBench) -> None:
    await _open(bench, await bench.new_user(), "r1")
    assert await bench.store.rotate(session_id=new_session_id(), presented_token_id="r1", next_token_id="r2") \
        is Rotation.UNKNOWN


async def test_an_ended_session_is_dead(bench: TokenStoreBench) -> None:
    user_id = await bench.new_user()
    ended, other = await _open(bench, user_id, "r1"), await _open(bench, user_id, "r1")
    await bench.store.end_session(ended)
    assert not await _usable(bench, ended)
    assert await bench.store.rotate(session_id=ended, presented_token_id="r1", next_token_id="r2") \
        is Rotation.UNKNOWN
    assert await _usable(bench, other)


async def test_ending_an_unknown_session_is_harmless(bench: TokenStoreBench) -> None:
    await bench.store.end_session(new_session_id())


async def test_ending_all_sessions_keeps_the_one_asked_for_and_other_users(bench: TokenStoreBench) -> None:
    jake, jane = await bench.new_user(), await bench.new_user()
    sessions = [await _open(bench, jake) for _ in range(3)]
    janes = await _open(bench, jane)

    await bench.store.end_all_sessions(jake, keep=sessions[1])

    assert [await _usable(bench, s) for s in sessions] == [False, True, False]
    assert await _usable(bench, janes)


async def test_ending_all_sessions_without_keeping_one(bench: TokenStoreBench) -> None:
    jake = await bench.new_user()
    sessions = [await _open(bench, jake) for _ in range(2)]
    await bench.store.end_all_sessions(jake)
    assert [await _usable(bench, s) for s in sessions] == [False, False]
    await bench.store.end_all_sessions(jake)  # nothing left to end is fine too


async def test_a_revoked_token_is_not_usable_in_a_live_session(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user())
    await bench.store.revoke_token("access-1", until=bench.now() + timedelta(minutes=16))
    assert not await _usable(bench, session_id, "access-1")
    assert await _usable(bench, session_id, "access-2")


async def test_a_revocation_that_already_ran_out_changes_nothing(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user())
    await bench.store.revoke_token("access-1", until=bench.now() - timedelta(seconds=1))
    assert await _usable(bench, session_id, "access-1")


async def test_a_revocation_lasts_until_its_instant(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user())
    await bench.store.revoke_token("access-1", until=bench.now() + timedelta(seconds=1))
    await bench.wait(timedelta(seconds=1.2))
    assert await _usable(bench, session_id, "access-1")


async def test_revoking_twice_keeps_the_later_instant(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user())
    await bench.store.revoke_token("access-1", until=bench.now() + timedelta(hours=1))
    await bench.store.revoke_token("access-1", until=bench.now() + timedelta(seconds=1))
    await bench.wait(timedelta(seconds=1.2))
    assert not await _usable(bench, session_id, "access-1")


async def test_a_session_ends_at_its_end_however_often_it_rotated(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user(), "r1", lasts=timedelta(seconds=1))
    assert await bench.store.rotate(session_id=session_id, presented_token_id="r1", next_token_id="r2") \
        is Rotation.ROTATED
    await bench.wait(timedelta(seconds=1.2))
    assert not await _usable(bench, session_id)
    assert await bench.store.rotate(session_id=session_id, presented_token_id="r2", next_token_id="r3") \
        is Rotation.UNKNOWN


async def test_a_session_opened_past_its_end_is_dead(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user(), "r1", lasts=-timedelta(seconds=1))
    assert not await _usable(bench, session_id)
    assert await bench.store.rotate(session_id=session_id, presented_token_id="r1", next_token_id="r2") \
        is Rotation.UNKNOWN


async def test_a_user_can_open_new_sessions_after_old_ones_ended(bench: TokenStoreBench) -> None:
    jake = await bench.new_user()
    short = await _open(bench, jake, lasts=timedelta(seconds=1))
    await bench.wait(timedelta(seconds=1.2))
    fresh = await _open(bench, jake)
    assert not await _usable(bench, short)
    assert await _usable(bench, fresh)


async def test_of_concurrent_rotations_of_one_token_exactly_one_wins(bench: TokenStoreBench) -> None:
    session_id = await _open(bench, await bench.new_user(), "r1")
    outcomes = await asyncio.gather(*(
        bench.store.rotate(session_id=session_id, presented_token_id="r1", next_token_id=f"next-{n}")
        for n in range(16)
    ))
    assert outcomes.count(Rotation.ROTATED) == 1
    assert set(outcomes) <= {Rotation.ROTATED, Rotation.REUSED, Rotation.UNKNOWN}
    assert Rotation.REUSED in outcomes
    # The losers count as reuse, so the family is over, winner's new token included.
    assert not await _usable(bench, session_id)
    winner = next(f"next-{n}" for n, outcome in enumerate(outcomes) if outcome is Rotation.ROTATED)
    assert await bench.store.rotate(session_id=session_id, presented_token_id=winner, next_token_id="again") \
        is Rotation.UNKNOWN


async def test_a_rotation_sent_again_counts_as_done_not_as_reuse(bench: TokenStoreBench) -> None:
    """The Redis client sends a command once more when its connection broke before the answer came,
    and the server may have run it already."""
    if bench.backend != "redis":
        pytest.skip("only the Redis client sends a command again")
    session_id = await _open(bench, await bench.new_user(), "r1")
    for _ in range(2):
        assert await bench.store.rotate(session_id=session_id, presented_token_id="r1", next_token_id="r2") \
            is Rotation.ROTATED
    assert await _usable(bench, session_id)
