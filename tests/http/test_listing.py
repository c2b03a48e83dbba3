"""Listing and feed: filters, paging, ordering and the list shape without `body`."""

from typing import Any

import httpx
import pytest

from tests.http.conftest import auth, register, unique
from tests.http.test_articles import write


async def listing(client: httpx.AsyncClient, query: str, token: str | None = None) -> dict[str, Any]:
    response = await client.get(f"/api/articles?{query}", headers=auth(token) if token else {})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_lists_leave_out_the_body_and_count_every_match(client: httpx.AsyncClient) -> None:
    author = await register(client)
    first = await write(client, author["token"], "First")
    second = await write(client, author["token"], "Second")
    page = await listing(client, f"author={author['username']}&limit=1")
    assert page["articlesCount"] == 2
    assert [a["slug"] for a in page["articles"]] == [second["slug"]]
    assert "body" not in page["articles"][0]
    next_page = await listing(client, f"author={author['username']}&limit=1&offset=1")
    assert [a["slug"] for a in next_page["articles"]] == [first["slug"]]


async def test_filters_by_tag_author_and_favorited(client: httpx.AsyncClient) -> None:
    tag = unique("tag")
    author, fan = await register(client), await register(client)
    tagged = await write(client, author["token"], "Tagged", tags=[tag])
    await write(client, author["token"], "Untagged")
    await client.post(f"/api/articles/{tagged['slug']}/favorite", headers=auth(fan["token"]))
    by_tag = await listing(client, f"tag={tag}")
    assert [a["slug"] for a in by_tag["articles"]] == [tagged["slug"]] and by_tag["articlesCount"] == 1
    by_fan = await listing(client, f"favorited={fan['username']}", token=fan["token"])
    assert [a["slug"] for a in by_fan["articles"]] == [tagged["slug"]]
    assert by_fan["articles"][0]["favorited"] is True and by_fan["articles"][0]["favoritesCount"] >= 1
    assert (await listing(client, f"author={author['username']}"))["articlesCount"] == 2
    assert (await listing(client, f"author={author['username']}&tag={tag}"))["articlesCount"] == 1
    assert await listing(client, "author=nobody-at-all") == {"articles": [], "articlesCount": 0}


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=-1", "offset=-1", "limit=abc"])
async def test_page_bounds_are_validated(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"/api/articles?{query}")
    assert response.status_code == 422
    assert set(response.json()["errors"]) <= {"limit", "offset"}


async def test_feed_shows_followed_authors_newest_first(client: httpx.AsyncClient) -> None:
    reader, followed, ignored = await register(client), await register(client), await register(client)
    assert await _feed(client, reader["token"]) == {"articles": [], "articlesCount": 0}
    await client.post(f"/api/profiles/{followed['username']}/follow", headers=auth(reader["token"]))
    older = await write(client, followed["token"], "Older")
    newer = await write(client, followed["token"], "Newer")
    await write(client, ignored["token"], "Not followed")
    feed = await _feed(client, reader["token"])
    assert [a["slug"] for a in feed["articles"]] == [newer["slug"], older["slug"]]
    assert feed["articlesCount"] == 2
    assert all(a["author"]["following"] for a in feed["articles"]) and all("body" not in a for a in feed["articles"])


async def test_feed_needs_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/articles/feed")
    assert response.status_code == 401
    assert response.json() == {"errors": {"token": ["is missing"]}}


async def test_tags_lists_every_tag_in_use(client: httpx.AsyncClient) -> None:
    author = await register(client)
    tags = [unique("t") for _ in range(3)]
    await write(client, author["token"], tags=tags)
    listed = (await client.get("/api/tags")).json()["tags"]
    assert set(tags) <= set(listed)


async def _feed(client: httpx.AsyncClient, token: str) -> dict[str, Any]:
    response = await client.get("/api/articles/feed", headers=auth(token))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body
