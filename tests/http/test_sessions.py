"""Session endpoints: the OAuth2 form, refresh rotation with reuse detection, log-out."""

import asyncio

import httpx

from tests.http.conftest import auth, register


async def test_oauth2_password_form_returns_a_bearer_pair(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.post("/api/auth/token", data={"username": user["email"], "password": user["password"]})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    me = await client.get("/api/user", headers=auth(body["access_token"], "Bearer"))
    assert me.status_code == 200


async def test_oauth2_form_with_a_wrong_password_is_401(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.post("/api/auth/token", data={"username": user["email"], "password": "wrong password"})
    assert response.status_code == 401
    assert response.json() == {"errors": {"credentials": ["invalid"]}}


async def test_refresh_rotates_and_the_new_access_token_works(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})
    assert response.status_code == 200
    pair = response.json()
    assert pair["refresh_token"] != user["refreshToken"]
    assert (await client.get("/api/user", headers=auth(pair["access_token"]))).status_code == 200


async def test_reusing_a_spent_refresh_token_ends_the_whole_session(client: httpx.AsyncClient) -> None:
    user = await register(client)
    rotated = (await client.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})).json()
    replay = await client.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})
    assert replay.status_code == 401
    assert replay.json() == {"errors": {"token": ["has already been used"]}}
    newest = await client.post("/api/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert newest.status_code == 401
    assert (await client.get("/api/user", headers=auth(rotated["access_token"]))).status_code == 401
    assert (await client.get("/api/user", headers=auth(user["token"]))).status_code == 401


async def test_two_concurrent_refreshes_of_one_token_let_exactly_one_win(client: httpx.AsyncClient) -> None:
    user = await register(client)
    responses = await asyncio.gather(*(
        client.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]}) for _ in range(2)
    ))
    assert sorted(r.status_code for r in responses) == [200, 401]


async def test_an_access_token_is_not_a_refresh_token_and_vice_versa(client: httpx.AsyncClient) -> None:
    user = await register(client)
    assert (await client.post("/api/auth/refresh", json={"refresh_token": user["token"]})).status_code == 401
    assert (await client.get("/api/user", headers=auth(user["refreshToken"]))).status_code == 401


async def test_logout_revokes_the_access_token_and_its_refresh_token(client: httpx.AsyncClient) -> None:
    user = await register(client)
    other = await client.post("/api/users/login", json={"user": {"email": user["email"], "password": user["password"]}})
    response = await client.post("/api/auth/logout", headers=auth(user["token"]))
    assert response.status_code == 204 and response.content == b""
    assert (await client.get("/api/user", headers=auth(user["token"]))).status_code == 401
    assert (await client.post("/api/auth/refresh", json={"refresh_token": user["refreshToken"]})).status_code == 401
    assert (await client.get("/api/user", headers=auth(other.json()["user"]["token"]))).status_code == 200


async def test_logout_all_ends_every_session_of_the_user_only(client: httpx.AsyncClient) -> None:
    user, bystander = await register(client), await register(client)
    second = (await client.post(
        "/api/users/login", json={"user": {"email": user["email"], "password": user["password"]}}
    )).json()["user"]
    assert (await client.post("/api/auth/logout-all", headers=auth(user["token"]))).status_code == 204
    for token in (user["token"], second["token"]):
        assert (await client.get("/api/user", headers=auth(token))).status_code == 401
    for refresh in (user["refreshToken"], second["refreshToken"]):
        assert (await client.post("/api/auth/refresh", json={"refresh_token": refresh})).status_code == 401
    assert (await client.get("/api/user", headers=auth(bystander["token"]))).status_code == 200
    again = await client.post("/api/users/login", json={"user": {"email": user["email"], "password": user["password"]}})
    assert (await client.get("/api/user", headers=auth(again.json()["user"]["token"]))).status_code == 200


async def test_logout_needs_a_token(client: httpx.AsyncClient) -> None:
    for path in ("/api/auth/logout", "/api/auth/logout-all"):
        response = await client.post(path)
        assert response.status_code == 401
        assert response.json() == {"errors": {"token": ["is missing"]}}
