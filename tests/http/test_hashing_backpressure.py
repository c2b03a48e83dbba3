"""Backpressure on password hashing: log-ins beyond the hashing threads and the few that may wait are
answered 503 with Retry-After at once, in the error model, instead of queueing for minutes."""

import asyncio

import httpx

from adapters.security.bcrypt_hasher import BcryptPasswordHasher
from tests.http.conftest import register


async def test_log_ins_beyond_the_hashing_queue_are_refused_at_once_with_503_and_retry_after(
    client: httpx.AsyncClient, one_slot_hasher: BcryptPasswordHasher
) -> None:
    user = await register(client)
    credentials = {"user": {"email": user["email"], "password": user["password"]}}
    responses = await asyncio.gather(*(client.post("/api/users/login", json=credentials) for _ in range(5)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 200, 503, 503, 503]
    for busy in (response for response in responses if response.status_code == 503):
        assert busy.json() == {"errors": {"service": ["is busy, try again shortly"]}}
        assert int(busy.headers["Retry-After"]) >= 1
    # The queue drained: the next log-in is served.
    assert (await client.post("/api/users/login", json=credentials)).status_code == 200
