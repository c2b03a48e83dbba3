"""RealWorld's user endpoints: shapes, status codes and exact error strings."""

import asyncio

import httpx
import jwt
import pytest

from tests.http.conftest import auth, register, unique


def _session_of(token: str) -> str:
    session: str = jwt.decode(token, options={"verify_signature": False})["sid"]
    return session


async def test_register_answers_201_with_the_realworld_user_and_a_refresh_token(client: httpx.AsyncClient) -> None:
    name = unique()
    response = await client.post(
        "/api/users", json={"user": {"username": name, "email": f"{name}@Example.COM", "password": "correct horse"}}
    )
    assert response.status_code == 201
    user = response.json()["user"]
    assert user["username"] == name
    assert user["email"] == f"{name}@example.com"
    assert user["bio"] is None and user["image"] is None
    assert user["token"] and user["refreshToken"] and user["token"] != user["refreshToken"]
    assert "password" not in response.text and "hash" not in response.text


@pytest.mark.parametrize("field", ["username", "email", "password"])
@pytest.mark.parametrize("value", ["", None, "missing"])
async def test_register_refuses_a_blank_field(client: httpx.AsyncClient, field: str, value: str | None) -> None:
    name = unique()
    body: dict[str, object] = {"username": name, "email": f"{name}@example.com", "password": "correct horse"}
    if value == "missing":
        del body[field]
    else:
        body[field] = value
    response = await client.post("/api/users", json={"user": body})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field in errors
    if value != None:  # noqa: E711 - null is a type error, reported by the schema in its own words
        assert errors[field] == ["can't be blank"]


@pytest.mark.parametrize("field", ["username", "email"])
async def test_register_refuses_a_taken_username_or_email_in_any_letter_case(
    client: httpx.AsyncClient, field: str
) -> None:
    first = await register(client)
    name = unique()
    body = {"username": name, "email": f"{name}@example.com", "password": "correct horse"}
    body[field] = first[field].upper()
    response = await client.post("/api/users", json={"user": body})
    assert response.status_code == 409
    assert response.json() == {"errors": {field: ["has already been taken"]}}


async def test_two_racing_registrations_of_one_email_give_one_account(client: httpx.AsyncClient) -> None:
    a, b = unique(), unique()
    email = f"{a}@example.com"
    responses = await asyncio.gather(
        client.post("/api/users", json={"user": {"username": a, "email": email, "password": "correct horse"}}),
        client.post("/api/users", json={"user": {"username": b, "email": email.upper(), "password": "correct horse"}}),
    )
    assert sorted(r.status_code for r in responses) == [201, 409]


async def test_register_ignores_privileged_fields(client: httpx.AsyncClient, app) -> None:  # type: ignore[no-untyped-def]
    name = unique()
    response = await client.post("/api/users", json={"user": {
        "username": name, "email": f"{name}@example.com", "password": "correct horse",
        "role": "admin", "is_active": False, "email_verified": True, "id": "00000000-0000-0000-0000-000000000000",
    }})
    assert response.status_code == 201
    account = await app.state.container.storage.accounts().profile(name, viewer=None)
    assert account is not None
    me = await client.get("/api/user", headers=auth(response.json()["user"]["token"]))
    assert me.status_code == 200  # still active
    db = app.state.container.storage.database()
    (user,) = [u for u in db.users.values() if u.username.value == name]
    assert user.role.value == "user" and user.is_active and user.email_verified_at is None


async def test_a_common_password_is_refused(client: httpx.AsyncClient) -> None:
    name = unique()
    response = await client.post(
        "/api/users", json={"user": {"username": name, "email": f"{name}@example.com", "password": "password123"}}
    )
    assert response.status_code == 422
    assert response.json() == {"errors": {"password": ["is too common"]}}


async def test_login_returns_the_user_with_fresh_tokens(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.post(
        "/api/users/login", json={"user": {"email": user["email"].upper(), "password": user["password"]}}
    )
    assert response.status_code == 200
    logged_in = response.json()["user"]
    assert logged_in["username"] == user["username"] and logged_in["token"] and logged_in["refreshToken"]


async def test_login_failures_are_indistinguishable(client: httpx.AsyncClient) -> None:
    user = await register(client)
    wrong_password = await client.post(
        "/api/users/login", json={"user": {"email": user["email"], "password": "not the password"}}
    )
    unknown_email = await client.post(
        "/api/users/login", json={"user": {"email": "nobody@example.com", "password": "not the password"}}
    )
    malformed_email = await client.post(
        "/api/users/login", json={"user": {"email": "not-an-email", "password": "not the password"}}
    )
    for response in (wrong_password, unknown_email, malformed_email):
        assert response.status_code == 401
        assert response.json() == {"errors": {"credentials": ["invalid"]}}


@pytest.mark.parametrize("field", ["email", "password"])
async def test_login_refuses_blank_fields(client: httpx.AsyncClient, field: str) -> None:
    body = {"email": "someone@example.com", "password": "whatever1"}
    body[field] = ""
    response = await client.post("/api/users/login", json={"user": body})
    assert response.status_code == 422
    assert response.json() == {"errors": {field: ["can't be blank"]}}


@pytest.mark.parametrize("scheme", ["Token", "Bearer", "bearer"])
async def test_current_user_accepts_both_schemes_and_renews_the_token(client: httpx.AsyncClient, scheme: str) -> None:
    user = await register(client)
    response = await client.get("/api/user", headers=auth(user["token"], scheme))
    assert response.status_code == 200
    body = response.json()["user"]
    assert body == {
        "email": user["email"], "token": body["token"], "username": user["username"], "bio": None, "image": None,
        "emailVerified": False, "refreshToken": None,
    }
    assert _session_of(body["token"]) == _session_of(user["token"])  # a new token of the same session


async def test_current_user_without_a_token_is_401_is_missing(client: httpx.AsyncClient) -> None:
    for response in (await client.get("/api/user"), await client.put("/api/user", json={"user": {"bio": "x"}})):
        assert response.status_code == 401
        assert response.json() == {"errors": {"token": ["is missing"]}}


@pytest.mark.parametrize("header", ["Basic abc", "Token", "Token ", "tokenabc", "Bearer not-a-jwt"])
async def test_a_malformed_authorization_header_is_401_is_invalid(client: httpx.AsyncClient, header: str) -> None:
    response = await client.get("/api/user", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is invalid"]}}


async def test_update_user_changes_and_persists_every_field(client: httpx.AsyncClient) -> None:
    user = await register(client)
    new_name = unique("renamed")
    response = await client.put("/api/user", headers=auth(user["token"]), json={"user": {
        "email": f"{new_name}@example.com", "username": new_name, "bio": "I write", "image": "https://img.test/a.png",
    }})
    assert response.status_code == 200
    updated = response.json()["user"]
    assert _session_of(updated["token"]) == _session_of(user["token"])
    again = (await client.get("/api/user", headers=auth(updated["token"]))).json()["user"]
    assert (again["email"], again["username"], again["bio"], again["image"]) == (
        f"{new_name}@example.com", new_name, "I write", "https://img.test/a.png"
    )


@pytest.mark.parametrize("value", ["", None])
async def test_update_user_clears_bio_and_image_with_empty_or_null(
    client: httpx.AsyncClient, value: str | None
) -> None:
    user = await register(client)
    await client.put("/api/user", headers=auth(user["token"]), json={"user": {"bio": "b", "image": "https://i.test/x"}})
    response = await client.put("/api/user", headers=auth(user["token"]), json={"user": {"bio": value, "image": value}})
    assert response.status_code == 200
    assert response.json()["user"]["bio"] is None and response.json()["user"]["image"] is None
    assert (await client.get("/api/user", headers=auth(user["token"]))).json()["user"]["bio"] is None


@pytest.mark.parametrize("field", ["email", "username", "password"])
@pytest.mark.parametrize("value", ["", None])
async def test_update_user_refuses_blank_required_fields(
    client: httpx.AsyncClient, field: str, value: str | None
) -> None:
    user = await register(client)
    response = await client.put("/api/user", headers=auth(user["token"]), json={"user": {field: value}})
    assert response.status_code == 422
    assert response.json() == {"errors": {field: ["can't be blank"]}}


@pytest.mark.parametrize(("password", "status"), [("short7c", 422), ("bonjour1", 200), ("a" * 64, 200),
                                                 ("x" * 256, 200), ("x" * 257, 422)])
async def test_update_user_password_length_rule(client: httpx.AsyncClient, password: str, status: int) -> None:
    user = await register(client)
    response = await client.put("/api/user", headers=auth(user["token"]), json={"user": {"password": password}})
    assert response.status_code == status


async def test_a_new_password_ends_other_sessions_but_keeps_this_one(client: httpx.AsyncClient) -> None:
    user = await register(client)
    other = (await client.post(
        "/api/users/login", json={"user": {"email": user["email"], "password": user["password"]}}
    )).json()["user"]
    response = await client.put("/api/user", headers=auth(user["token"]), json={"user": {"password": "a new secret"}})
    assert response.status_code == 200
    assert (await client.get("/api/user", headers=auth(user["token"]))).status_code == 200
    assert (await client.get("/api/user", headers=auth(other["token"]))).status_code == 401
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": other["refreshToken"]})
    assert refreshed.status_code == 401
    old_login = await client.post(
        "/api/users/login", json={"user": {"email": user["email"], "password": user["password"]}}
    )
    assert old_login.status_code == 401
    new_login = await client.post(
        "/api/users/login", json={"user": {"email": user["email"], "password": "a new secret"}}
    )
    assert new_login.status_code == 200


async def test_update_user_to_a_taken_username_is_409(client: httpx.AsyncClient) -> None:
    first, second = await register(client), await register(client)
    response = await client.put(
        "/api/user", headers=auth(second["token"]), json={"user": {"username": first["username"].upper()}}
    )
    assert response.status_code == 409
    assert response.json() == {"errors": {"username": ["has already been taken"]}}


async def test_changing_only_the_letter_case_of_ones_own_username_is_allowed(client: httpx.AsyncClient) -> None:
    user = await register(client)
    response = await client.put(
        "/api/user", headers=auth(user["token"]), json={"user": {"username": user["username"].upper()}}
    )
    assert response.status_code == 200
    assert response.json()["user"]["username"] == user["username"].upper()
