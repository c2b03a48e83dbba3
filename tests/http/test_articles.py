"""RealWorld's article endpoints: shapes, listing rules and error cases."""

import asyncio
import re
from typing import Any

import httpx
import pytest

from tests.http.conftest import auth, register

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


async def write(client: httpx.AsyncClient, token: str, title: str = "A title", tags: list[str] | None = None,
                **fields: str) -> dict[str, Any]:
    article = {"title": title, "description": "About it", "body": "The body", **fields}
    if tags is not None:
        article["tagList"] = tags  # type: ignore[assignment]
    response = await client.post("/api/articles", headers=auth(token), json={"article": article})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()["article"]
    return created


async def test_create_returns_201_with_the_full_article(client: httpx.AsyncClient) -> None:
    author = await register(client)
    article = await write(client, author["token"], "How to train your dragon", tags=["Dragons ", "training", "dragons"])
    assert article["title"] == "How to train your dragon" and article["body"] == "The body"
    assert article["tagList"] == ["dragons", "training"]
    assert re.fullmatch(r"how-to-train-your-dragon-[a-z0-9]{6}", article["slug"])
    assert TIMESTAMP.match(article["createdAt"]) and article["createdAt"] == article["updatedAt"]
    assert article["favorited"] is False and article["favoritesCount"] == 0
    assert article["author"] == {"username": author["username"], "bio": None, "image": None, "following": False}


async def test_equal_titles_get_different_slugs(client: httpx.AsyncClient) -> None:
    author = await register(client)
    first, second = await asyncio.gather(write(client, author["token"], "Same"), write(client, author["token"], "Same"))
    assert first["slug"] != second["slug"]


@pytest.mark.parametrize("field", ["title", "description", "body"])
async def test_create_refuses_a_blank_field(client: httpx.AsyncClient, field: str) -> None:
    author = await register(client)
    article = {"title": "t", "description": "d", "body": "b", field: ""}
    response = await client.post("/api/articles", headers=auth(author["token"]), json={"article": article})
    assert response.status_code == 422
    assert response.json() == {"errors": {field: ["can't be blank"]}}


async def test_get_returns_the_article_with_viewer_flags(client: httpx.AsyncClient) -> None:
    author, reader = await register(client), await register(client)
    article = await write(client, author["token"])
    await client.post(f"/api/profiles/{author['username']}/follow", headers=auth(reader["token"]))
    await client.post(f"/api/articles/{article['slug']}/favorite", headers=auth(reader["token"]))
    seen = (await client.get(f"/api/articles/{article['slug']}", headers=auth(reader["token"]))).json()["article"]
    assert seen["favorited"] is True and seen["favoritesCount"] == 1 and seen["author"]["following"] is True
    anonymous = (await client.get(f"/api/articles/{article['slug']}")).json()["article"]
    assert anonymous["favorited"] is False and anonymous["favoritesCount"] == 1
    assert anonymous["author"]["following"] is False


async def test_update_changes_only_what_is_sent_and_keeps_created_at(client: httpx.AsyncClient) -> None:
    author = await register(client)
    article = await write(client, author["token"], tags=["a", "b"])
    await asyncio.sleep(0.002)
    response = await client.put(f"/api/articles/{article['slug']}", headers=auth(author["token"]),
                                json={"article": {"body": "New body"}})
    assert response.status_code == 200
    updated = response.json()["article"]
    assert updated["body"] == "New body" and updated["title"] == article["title"]
    assert updated["tagList"] == ["a", "b"]
    assert updated["createdAt"] == article["createdAt"] and updated["updatedAt"] != article["updatedAt"]
    again = (await client.get(f"/api/articles/{updated['slug']}")).json()["article"]
    assert again["createdAt"] == article["createdAt"] and again["body"] == "New body"


async def test_update_tags_empty_list_removes_them_and_null_is_refused(client: httpx.AsyncClient) -> None:
    author = await register(client)
    article = await write(client, author["token"], tags=["a", "b"])
    path, headers = f"/api/articles/{article['slug']}", auth(author["token"])
    cleared = await client.put(path, headers=headers, json={"article": {"tagList": []}})
    assert cleared.json()["article"]["tagList"] == []
    refused = await client.put(path, headers=headers, json={"article": {"tagList": None}})
    assert refused.status_code == 422 and "tagList" in refused.json()["errors"]
    assert (await client.get(path)).json()["article"]["tagList"] == []


async def test_a_new_title_brings_a_new_slug(client: httpx.AsyncClient) -> None:
    author = await register(client)
    article = await write(client, author["token"], "Old title")
    updated = (await client.put(f"/api/articles/{article['slug']}", headers=auth(author["token"]),
                                json={"article": {"title": "New title"}})).json()["article"]
    assert updated["slug"].startswith("new-title-")
    assert (await client.get(f"/api/articles/{article['slug']}")).status_code == 404


async def test_only_the_author_may_update_or_delete(client: httpx.AsyncClient) -> None:
    author, other = await register(client), await register(client)
    article = await write(client, author["token"])
    path = f"/api/articles/{article['slug']}"
    for response in (
        await client.put(path, headers=auth(other["token"]), json={"article": {"body": "mine now"}}),
        await client.delete(path, headers=auth(other["token"])),
    ):
        assert response.status_code == 403
        assert response.json() == {"errors": {"article": ["forbidden"]}}
    assert (await client.get(path)).json()["article"]["body"] == "The body"


async def test_delete_answers_204_and_removes_comments_too(client: httpx.AsyncClient) -> None:
    author = await register(client)
    article = await write(client, author["token"], tags=["gone-tag"])
    path = f"/api/articles/{article['slug']}"
    await client.post(f"{path}/comments", headers=auth(author["token"]), json={"comment": {"body": "hi"}})
    await client.post(f"{path}/favorite", headers=auth(author["token"]))
    response = await client.delete(path, headers=auth(author["token"]))
    assert response.status_code == 204 and response.content == b""
    assert (await client.get(path)).status_code == 404
    assert (await client.get(f"{path}/comments")).status_code == 404
    assert "gone-tag" not in (await client.get("/api/tags")).json()["tags"]


@pytest.mark.parametrize(("method", "suffix"), [("PUT", ""), ("DELETE", ""), ("POST", "/favorite"),
                                                ("DELETE", "/favorite"), ("POST", "/comments")])
async def test_writes_check_authentication_before_existence(
    client: httpx.AsyncClient, method: str, suffix: str
) -> None:
    response = await client.request(method, f"/api/articles/no-such-slug{suffix}", json={})
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}


@pytest.mark.parametrize(("method", "suffix"), [("GET", ""), ("PUT", ""), ("DELETE", ""), ("POST", "/favorite"),
                                                ("DELETE", "/favorite"), ("GET", "/comments")])
async def test_a_missing_slug_is_404_article_not_found(client: httpx.AsyncClient, method: str, suffix: str) -> None:
    user = await register(client)
    body = {"article": {"body": "x"}} if method == "PUT" else None
    response = await client.request(method, f"/api/articles/no-such-slug{suffix}", headers=auth(user["token"]),
                                    json=body)
    assert response.status_code == 404
    assert response.json() == {"errors": {"article": ["not found"]}}


async def test_create_without_a_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/articles", json={"article": {"title": "t", "description": "d", "body": "b"}})
    assert response.status_code == 401


async def test_favorite_is_idempotent_and_unfavorite_undoes_it(client: httpx.AsyncClient) -> None:
    author, fan = await register(client), await register(client)
    article = await write(client, author["token"])
    path = f"/api/articles/{article['slug']}/favorite"
    for _ in range(2):
        favored = (await client.post(path, headers=auth(fan["token"]))).json()["article"]
    assert favored["favorited"] is True and favored["favoritesCount"] == 1
    undone = await client.delete(path, headers=auth(fan["token"]))
    assert undone.status_code == 200
    assert undone.json()["article"]["favorited"] is False and undone.json()["article"]["favoritesCount"] == 0


async def test_twenty_users_favoriting_at_once_count_twenty(client: httpx.AsyncClient) -> None:
    author = await register(client)
    article = await write(client, author["token"])
    fans = await asyncio.gather(*(register(client) for _ in range(20)))
    responses = await asyncio.gather(*(
        client.post(f"/api/articles/{article['slug']}/favorite", headers=auth(fan["token"])) for fan in fans
    ))
    assert {r.status_code for r in responses} == {200}
    final = (await client.get(f"/api/articles/{article['slug']}")).json()["article"]
    assert final["favoritesCount"] == 20
