"""What is measured: one entry per kind of request, in the order a run measures them.

Reads come first and writes last, so that every read of a round sees the dataset as seeded (the rows the
write cases add are deleted before the next round). Reads are anonymous unless the case signs in as the
reader. The login case and the login side of the storm use 8 connections: a login is one bcrypt hash at the
default cost, and 64 concurrent ones would only measure the queue in front of it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from bench.seed import Facts

LOGIN_CONNECTIONS = 8
STORM = "storm"


@dataclass(frozen=True)
class Case:
    key: str  # what --cases takes
    label: str  # what the table shows
    method: str
    path: Callable[[Facts], str]
    signed_in: bool = False
    script: str | None = None  # a file of bench/lua
    body: Callable[[Facts], dict[str, Any]] | None = None  # the JSON body a POST sends (its title marked @TITLE@)
    connections: int | None = None  # fixed, whatever --connections says
    writes: bool = False


def _list(query: str = "") -> Callable[[Facts], str]:
    """`/api/articles?limit=20`, after a filter such as `tag={f.popular_tag}` filled in from the facts."""
    return lambda f: f"/api/articles?{query.format(f=f) + '&' if query else ''}limit=20"


def _article_body(facts: Facts) -> dict[str, Any]:
    paragraph = ("A measured paragraph of an article written under load, long enough to look like one. "
                 "It says little, but it says it at the length a real post would. ") * 4
    return {"article": {"title": "@TITLE@", "description": "What the benchmark writes while it measures.",
                        "body": "\n\n".join([paragraph] * 4), "tagList": facts.create_tags}}


CASES: tuple[Case, ...] = (
    Case("list", "list, anonymous", "GET", _list()),
    Case("list-signed", "list, signed in", "GET", _list(), signed_in=True),
    Case("tag", "list by tag", "GET", _list("tag={f.popular_tag}")),
    Case("author", "list by author", "GET", _list("author={f.prolific_author}")),
    Case("favorited", "list favorited by", "GET", _list("favorited={f.fan}")),
    Case("feed", "feed, signed in", "GET", lambda f: "/api/articles/feed?limit=20", signed_in=True),
    Case("deep", "deep page (offset 10000)", "GET", lambda f: "/api/articles?limit=20&offset=10000"),
    Case("article", "article", "GET", lambda f: f"/api/articles/{quote(f.article_slug)}"),
    Case("comments", "comments", "GET", lambda f: f"/api/articles/{quote(f.article_slug)}/comments"),
    Case("profile", "profile, signed in", "GET", lambda f: f"/api/profiles/{quote(f.prolific_author)}",
         signed_in=True),
    Case("user", "current user", "GET", lambda f: "/api/user", signed_in=True),
    Case(STORM, "current user, 8 logging in", "GET", lambda f: "/api/user", signed_in=True),
    Case("login", f"login ({LOGIN_CONNECTIONS} conns)", "POST", lambda f: "/api/users/login", script="post.lua",
         body=lambda f: {"user": {"email": f.storm.email, "password": f.storm.password}},
         connections=LOGIN_CONNECTIONS),
    Case("create", "create article", "POST", lambda f: "/api/articles", signed_in=True,
         script="create_article.lua", body=_article_body, writes=True),
    Case("favorite", "favorite", "POST", lambda f: f"/api/articles/{quote(f.favorite_slugs[0])}/favorite",
         signed_in=True, script="favorite.lua", writes=True),
)
BY_KEY = {case.key: case for case in CASES}


def select(keys: str) -> list[Case]:
    """`all` or a comma list of keys, kept in the measuring order."""
    if keys == "all":
        return list(CASES)
    wanted = {key.strip() for key in keys.split(",") if key.strip()}
    unknown = wanted - set(BY_KEY)
    if unknown:
        raise SystemExit(f"unknown case(s) {', '.join(sorted(unknown))}; known: {', '.join(BY_KEY)}")
    return [case for case in CASES if case.key in wanted]


def body_text(case: Case, facts: Facts, title: str = "@TITLE@") -> str | None:
    if case.body is None:
        return None
    return json.dumps(case.body(facts)).replace("@TITLE@", title)
