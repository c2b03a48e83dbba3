"""RealWorld's profile endpoint."""

import httpx

from tests.http.conftest import auth, register


async def test_profile_of_a_new_user_has_null_bio_and_image_and_no_follow(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.get(f"/api/profiles/{user['username']}")
    assert response.status_code == 200
    assert response.json() == {
        "profile": {"username": user["username"], "bio": None, "image": None, "following": False}
    }


async def test_profile_is_found_whatever_the_letter_case(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.get(f"/api/profiles/{user['username'].upper()}", headers=auth(user["token"]))
    assert response.status_code == 200
    assert response.json()["profile"]["username"] == user["username"]


async def test_unknown_profile_is_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/profiles/nobody-here")
    assert response.status_code == 404
    assert response.json() == {"errors": {"profile": ["not found"]}}


async def test_an_invalid_token_on_an_optional_auth_route_is_still_401(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.get(f"/api/profiles/{user['username']}", headers=auth("garbage"))
    assert response.status_code == 401


async def test_follow_and_unfollow_persist(client: httpx.AsyncClient) -> None:
    reader, writer = await register(client), await register(client)
    path = f"/api/profiles/{writer['username']}"
    followed = await client.post(f"{path}/follow", headers=auth(reader["token"]))
    assert followed.status_code == 200 and followed.json()["profile"]["following"] is True
    assert (await client.post(f"{path}/follow", headers=auth(reader["token"]), json={})).status_code == 200
    assert (await client.get(path, headers=auth(reader["token"]))).json()["profile"]["following"] is True
    unfollowed = await client.delete(f"{path}/follow", headers=auth(reader["token"]))
    assert unfollowed.status_code == 200 and unfollowed.json()["profile"]["following"] is False
    assert (await client.get(path, headers=auth(reader["token"]))).json()["profile"]["following"] is False


async def test_follow_errors(client: httpx.AsyncClient) -> None:
    user = await register(client)
    assert (await client.post("/api/profiles/nobody-here/follow")).json() == {"errors": {"token": ["is missing"]}}
    missing = await client.post("/api/profiles/nobody-here/follow", headers=auth(user["token"]))
    assert missing.status_code == 404 and missing.json() == {"errors": {"profile": ["not found"]}}
    itself = await client.post(f"/api/profiles/{user['username']}/follow", headers=auth(user["token"]))
    assert itself.status_code == 422 and itself.json() == {"errors": {"profile": ["cannot follow yourself"]}}
