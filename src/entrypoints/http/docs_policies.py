"""Content-Security-Policies for the documentation pages (Swagger UI at /docs, ReDoc at /redoc), built
from the pages themselves: each may load exactly the scripts, stylesheets and icons it names, run its
own inline script (by hash) and nothing else.

The pages are rendered here the way FastAPI renders them, without a root path: `inkwell serve` mounts
the app at the root.
"""

import base64
import hashlib
from html.parser import HTMLParser
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html

from entrypoints.http.security_headers import API_POLICY

_FRAME = ("default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'")
# Both UIs style their elements inline as they render, show images from data: URLs in their own CSS,
# and fetch the OpenAPI document (and, in Swagger UI, the calls it tries out) from this origin.
_RENDERED = {"style-src": ["'unsafe-inline'"], "img-src": ["data:"], "connect-src": ["'self'"]}
# ReDoc's stylesheet from Google Fonts loads the fonts themselves from another host, and its search
# runs in a worker built from a blob: URL.
_REDOC = {**_RENDERED, "font-src": ["https://fonts.gstatic.com"], "worker-src": ["blob:"]}


def page_policies(app: FastAPI) -> dict[str, str]:
    """Path → policy for each documentation path `app` serves; the OpenAPI document is JSON like the API."""
    policies: dict[str, str] = {}
    if not app.openapi_url:
        return policies
    policies[app.openapi_url] = API_POLICY
    if app.docs_url:
        swagger = get_swagger_ui_html(
            openapi_url=app.openapi_url, title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url, init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters=app.swagger_ui_parameters,
        )
        policies[app.docs_url] = policy_for(bytes(swagger.body).decode(), _RENDERED)
        if app.swagger_ui_oauth2_redirect_url:
            redirect = bytes(get_swagger_ui_oauth2_redirect_html().body).decode()
            policies[app.swagger_ui_oauth2_redirect_url] = policy_for(redirect, {})
    if app.redoc_url:
        redoc = get_redoc_html(openapi_url=app.openapi_url, title=f"{app.title} - ReDoc")
        policies[app.redoc_url] = policy_for(bytes(redoc.body).decode(), _REDOC)
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
