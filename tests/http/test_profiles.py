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
