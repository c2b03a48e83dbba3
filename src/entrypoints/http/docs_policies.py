"""Content-Security-Policies for the documentation pages (Swagger UI at /docs, ReDoc at /redoc), built
from the pages themselves: each may load exactly the scripts, stylesheets and icons it names (all served
from this origin), run its own inline script (by hash) and nothing else.
"""

import base64
import hashlib
from html.parser import HTMLParser
from urllib.parse import urlsplit

from fastapi import FastAPI

from entrypoints.http import docs
from entrypoints.http.security_headers import API_POLICY

_FRAME = ("default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'")
# Both UIs style their elements inline as they render, show images from data: URLs in their own CSS,
# and fetch the OpenAPI document (and, in Swagger UI, the calls it tries out) from this origin.
_RENDERED = {"style-src": ["'unsafe-inline'"], "img-src": ["data:"], "connect-src": ["'self'"]}
# ReDoc's search runs in a worker built from a blob: URL.
_REDOC = {**_RENDERED, "worker-src": ["blob:"]}
_WHILE_RENDERING = {docs.SWAGGER_UI_URL: _RENDERED, docs.OAUTH2_REDIRECT_URL: {}, docs.REDOC_URL: _REDOC}


def page_policies(app: FastAPI) -> dict[str, str]:
    """Path → policy for each documentation path `app` serves; the OpenAPI document is JSON like the API."""
    policies = {app.openapi_url: API_POLICY} if app.openapi_url else {}
    for path, page in docs.pages(app).items():
        policies[path] = policy_for(page, _WHILE_RENDERING[path])
    return policies


def policy_for(page: str, extra: dict[str, list[str]]) -> str:
    """The policy that lets `page` load what it names, plus the `extra` sources of what it loads as it runs."""
    found = _Resources()
    found.feed(page)
    found.close()
    sources: dict[str, list[str]] = {
        "script-src": [*map(_source, found.scripts), *(f"'sha256-{_digest(s)}'" for s in found.inline_scripts)],
        "style-src": [_source(url) for url in found.stylesheets],
        "img-src": [_source(url) for url in found.icons],
    }
    for directive, more in extra.items():
        sources[directive] = [*sources.get(directive, []), *more]
    directives = [f"{name} {' '.join(dict.fromkeys(values))}" for name, values in sources.items() if values]
    return "; ".join([*_FRAME, *directives])


def _source(url: str) -> str:
    """A source expression for exactly this URL (the query plays no part in matching), or 'self' for
    a URL on this origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else "'self'"


def _digest(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()


class _Resources(HTMLParser):
    """The scripts, stylesheets and icons a page names, and the text of its inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.inline_scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.icons: list[str] = []
        self._inline: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "script":
            if attributes.get("src"):
                self.scripts.append(attributes["src"])
            else:
                self._inline = []
        elif tag == "link" and attributes.get("href"):
            relations = attributes.get("rel", "").lower().split()
            if "stylesheet" in relations:
                self.stylesheets.append(attributes["href"])
            elif "icon" in relations:
                self.icons.append(attributes["href"])

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self._inline.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline is not None:
            self.inline_scripts.append("".join(self._inline))
            self._inline = None
