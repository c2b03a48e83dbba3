"""RealWorld's comment endpoints."""

import httpx

from tests.http.conftest import auth, register
from tests.http.test_articles import TIMESTAMP, write


async def test_add_list_and_delete_comments(client: httpx.AsyncClient) -> None:
    author, commenter = await register(client), await register(client)
    article = await write(client, author["token"])
    path = f"/api/articles/{article['slug']}/comments"
    created = await client.post(path, headers=auth(commenter["token"]), json={"comment": {"body": "First!"}})
    assert created.status_code == 201
    comment = created.json()["comment"]
    assert isinstance(comment["id"], int) and comment["body"] == "First!"
    assert TIMESTAMP.match(comment["createdAt"]) and comment["author"]["username"] == commenter["username"]
    second = (await client.post(path, headers=auth(author["token"]), json={"comment": {"body": "Second"}})).json()
    listed = (await client.get(path)).json()["comments"]
    assert [c["body"] for c in listed] == ["First!", "Second"]
    deleted = await client.delete(f"{path}/{comment['id']}", headers=auth(commenter["token"]))
    assert deleted.status_code == 204 and deleted.content == b""
    assert [c["id"] for c in (await client.get(path)).json()["comments"]] == [second["comment"]["id"]]


async def test_only_the_comment_author_may_delete_it(client: httpx.AsyncClient) -> None:
    author, commenter = await register(client), await register(client)
    article = await write(client, author["token"])
    path = f"/api/articles/{article['slug']}/comments"
    comment = (await client.post(path, headers=auth(commenter["token"]), json={"comment": {"body": "mine"}})).json()
    response = await client.delete(f"{path}/{comment['comment']['id']}", headers=auth(author["token"]))
    assert response.status_code == 403
    assert response.json() == {"errors": {"comment": ["forbidden"]}}
    assert len((await client.get(path)).json()["comments"]) == 1


async def test_delete_comment_checks_article_then_comment(client: httpx.AsyncClient) -> None:
    user = await register(client)
    article = await write(client, user["token"])
    missing_article = await client.delete("/api/articles/no-such-slug/comments/99999", headers=auth(user["token"]))
    assert missing_article.json() == {"errors": {"article": ["not found"]}}
    missing_comment = await client.delete(
        f"/api/articles/{article['slug']}/comments/99999", headers=auth(user["token"])
    )
    assert missing_comment.status_code == 404
    assert missing_comment.json() == {"errors": {"comment": ["not found"]}}


async def test_a_comment_of_another_article_is_not_found_there(client: httpx.AsyncClient) -> None:
    user = await register(client)
    one, other = await write(client, user["token"], "One"), await write(client, user["token"], "Other")
    comment = (await client.post(f"/api/articles/{one['slug']}/comments", headers=auth(user["token"]),
                                 json={"comment": {"body": "here"}})).json()["comment"]
    response = await client.delete(f"/api/articles/{other['slug']}/comments/{comment['id']}",
                                   headers=auth(user["token"]))
    assert response.status_code == 404


async def test_blank_comment_is_422_and_anonymous_comment_is_401(client: httpx.AsyncClient) -> None:
    user = await register(client)
    article = await write(client, user["token"])
    path = f"/api/articles/{article['slug']}/comments"
    blank = await client.post(path, headers=auth(user["token"]), json={"comment": {"body": ""}})
    assert blank.status_code == 422 and blank.json() == {"errors": {"body": ["can't be blank"]}}
    assert (await client.post(path, json={"comment": {"body": "hi"}})).status_code == 401
    assert (await client.get(path)).json() == {"comments": []}
