"""The production token store: sessions and revoked token ids in Redis, expiring on their own.

Keys, under a prefix: `session:<id>` is a hash (user, live refresh token id) that expires when the
session ends, so a missing key is a dead session; `user:<id>:sessions` is the set of a user's
session ids; `revoked:<jti>` exists until the revocation no longer matters.
"""

import functools
from collections.abc import Callable, Coroutine, Iterable
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from application.errors import DependencyUnavailable
from application.ports.tokens import TokenStore
from domain.ids import SessionId, UserId
from domain.sessions import Rotation

# Lua runs atomically on the server, so no other command interleaves with a script.
_NOW_MS = """
local clock = redis.call('TIME')
local now_ms = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
"""

_OPEN = _NOW_MS + """
local ends_ms = tonumber(ARGV[3])
if ends_ms <= now_ms then
  redis.call('DEL', KEYS[1])
  return 0
end
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'live', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ends_ms)
redis.call('SADD', KEYS[2], ARGV[4])
local ttl = redis.call('PTTL', KEYS[2])
if ttl < 0 or now_ms + ttl < ends_ms then
  redis.call('PEXPIREAT', KEYS[2], ends_ms)
end
return 1
"""

# A rotation that already happened (the client sends a command again when its connection was lost before
# the answer came) is reported as done, not as the reuse of a spent token.
_ROTATE = """
local live = redis.call('HGET', KEYS[1], 'live')
if not live then
  return 0
end
if live == ARGV[2] then
  return 1
end
if live == ARGV[1] then
  redis.call('HSET', KEYS[1], 'live', ARGV[2])
  return 1
end
redis.call('DEL', KEYS[1])
return 2
"""

_REVOKE = _NOW_MS + """
local until_ms = tonumber(ARGV[1])
if until_ms <= now_ms then
  return 0
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 and now_ms + ttl >= until_ms then
  return 0
end
redis.call('SET', KEYS[1], '1', 'PXAT', until_ms)
return 1
"""

# Asked on every authenticated request: one command (not a pipeline of two) costs the client less.
_USABLE = """
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('EXISTS', KEYS[2]) == 0 then
  return 1
end
return 0
"""

_ROTATIONS = {0: Rotation.UNKNOWN, 1: Rotation.ROTATED, 2: Rotation.REUSED}

P = ParamSpec("P")
R = TypeVar("R")


def _reachable(method: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, Coroutine[Any, Any, R]]:
    """Redis that does not answer is DependencyUnavailable to the caller, never a skipped check."""

    @functools.wraps(method)
    async def translated(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError, OSError) as error:
            raise DependencyUnavailable("redis") from error

    return translated


class RedisTokenStore(TokenStore):
    """Works with clients that decode responses and with those that do not."""

    def __init__(self, client: Redis, *, prefix: str = "inkwell") -> None:
        self._client = client
        self._prefix = prefix
        self._open = client.register_script(_OPEN)
        self._rotate = client.register_script(_ROTATE)
        self._revoke = client.register_script(_REVOKE)
        self._usable = client.register_script(_USABLE)

    @_reachable
    async def open_session(
        self, *, session_id: SessionId, user_id: UserId, refresh_token_id: str, ends_at: datetime
    ) -> None:
        await self._open(
            keys=[self._session_key(session_id), self._user_key(user_id)],
            args=[str(user_id), refresh_token_id, _epoch_ms(ends_at), str(session_id)],
        )

    @_reachable
    async def rotate(self, *, session_id: SessionId, presented_token_id: str, next_token_id: str) -> Rotation:
        outcome = await self._rotate(keys=[self._session_key(session_id)], args=[presented_token_id, next_token_id])
        return _ROTATIONS[int(outcome)]

    @_reachable
    async def end_session(self, session_id: SessionId) -> None:
        key = self._session_key(session_id)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.hget(key, "user")
            pipe.delete(key)
            user, _ = await pipe.execute()
        if user is not None:
            await self._client.srem(self._user_key(_text(user)), str(session_id))

    @_reachable
    async def end_all_sessions(self, user_id: UserId, *, keep: SessionId | None = None) -> None:
        user_key = self._user_key(user_id)
        ending = [member for member in _texts(await self._client.smembers(user_key)) if member != str(keep)]
        if not ending:
            return
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.delete(*(self._session_key(member) for member in ending))
            pipe.srem(user_key, *ending)
            await pipe.execute()

    @_reachable
    async def revoke_token(self, token_id: str, *, until: datetime) -> None:
        await self._revoke(keys=[self._revoked_key(token_id)], args=[_epoch_ms(until)])

    @_reachable
    async def is_usable(self, *, session_id: SessionId, token_id: str) -> bool:
        usable = await self._usable(keys=[self._session_key(session_id), self._revoked_key(token_id)])
        return bool(int(usable))

    def _session_key(self, session_id: SessionId | str) -> str:
        return f"{self._prefix}:session:{session_id}"

    def _user_key(self, user_id: UserId | str) -> str:
        return f"{self._prefix}:user:{user_id}:sessions"

    def _revoked_key(self, token_id: str) -> str:
        return f"{self._prefix}:revoked:{token_id}"


def _epoch_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass a timezone-aware one")
    return int(moment.timestamp() * 1000)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _texts(values: Iterable[bytes | str]) -> list[str]:
    return [_text(value) for value in values]
