"""/docs and /redoc in a real browser (Debian's Chromium, headless), against `inkwell serve`: both render
every operation from assets Inkwell serves itself, nothing leaves for another host, and Swagger UI's
Authorize → /api/auth/token → "Try it out" on GET /api/user answers 200. Screenshots of each page (and of
the answered operation) are kept in BROWSER_SCREENSHOTS_DIR (default `artifacts/screenshots`)."""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

from tests.e2e.conftest import running_server
from tests.services import require_program

pytestmark = pytest.mark.e2e

REPOSITORY = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Headless in a container, and quiet: no sandbox (no user namespaces), no GPU, and none of the browser's
# own calls home, so the only traffic is the pages'.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "a long and unusual passphrase"
OPERATION_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@dataclass
class Visit:
    """A page of the server under test, and what it asked of other hosts or threw while it ran."""

    page: Page
    origin: str
    sent_elsewhere: list[str] = field(default_factory=list)
    attempted_elsewhere: list[Request] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        # Requests the page's own Content-Security-Policy refuses never get here: this sees only what
        # would really leave the browser, and lets none of it go.
        if route.request.url.startswith(f"{self.origin}/"):
            route.continue_()
        else:
            self.sent_elsewhere.append(route.request.url)
            route.abort("blockedbyclient")

    def record(self, request: Request) -> None:
        if urlsplit(request.url).scheme in {"http", "https"} and not request.url.startswith(f"{self.origin}/"):
            self.attempted_elsewhere.append(request)

    def assert_offline_and_clean(self) -> None:
        assert self.sent_elsewhere == []
        # ReDoc's bundle links the Redocly logo from its CDN; the page's policy refuses it in the browser.
        refused = {request.url: request.failure for request in self.attempted_elsewhere}
        assert set(refused.values()) <= {"csp"}, refused
        assert self.errors == []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_program("Chromium", CHROMIUM)
    with running_server(tmp_path_factory.mktemp("docs-browser"), {"RATE_LIMITS_ENABLED": "false"}) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def visit(browser: Browser, server: str) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    visit = Visit(context.new_page(), server)
    context.route("**/*", visit.route)
    visit.page.on("request", visit.record)
    visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))
    yield visit
    context.close()


@pytest.fixture(scope="module")
def screenshots() -> Path:
    directory = Path(os.environ.get("BROWSER_SCREENSHOTS_DIR", REPOSITORY / "artifacts" / "screenshots"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_swagger_ui_renders_every_operation_and_tries_get_user_once_authorized(
    server: str, visit: Visit, screenshots: Path
) -> None:
    page = visit.page
    email = register(server, "swagger-reader")
    page.goto(f"{server}/docs")
    page.locator(".opblock").first.wait_for()
    rendered = page.locator(".opblock-summary").evaluate_all(
        "summaries => summaries.map(s => [s.querySelector('.opblock-summary-path').dataset.path,"
        " s.querySelector('.opblock-summary-method').textContent])"
    )
    assert sorted(map(tuple, rendered)) == sorted((path, method.upper()) for path, method, _ in operations(server))

    page.locator(".auth-wrapper button.authorize").click()
    password_flow = page.locator(".auth-container", has_text="OAuth2Password")
    password_flow.locator("#oauth_username").fill(email)
    password_flow.locator("#oauth_password").fill(PASSWORD)
    with page.expect_response(f"{server}/api/auth/token") as token:
        password_flow.locator("button.authorize").click()
    assert token.value.status == 200
    password_flow.locator("button", has_text="Logout").wait_for()
    password_flow.locator("button.btn-done").click()

    current_user = page.locator(".opblock-get", has=page.locator('[data-path="/api/user"]'))
    current_user.locator(".opblock-summary").click()
    current_user.get_by_role("button", name="Try it out").click()
    current_user.get_by_role("button", name="Execute").click()
    status = current_user.locator(".live-responses-table .response .response-col_status")
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert email in current_user.locator(".live-responses-table .response .response-col_description").inner_text()
    current_user.screenshot(path=screenshots / "swagger-ui-get-user.png")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshots / "swagger-ui.png")
    visit.assert_offline_and_clean()


def test_redoc_renders_every_operation(server: str, visit: Visit, screenshots: Path) -> None:
    page = visit.page
    page.goto(f"{server}/redoc")
    headings = page.locator("[data-section-id*='operation/'] h2")
    headings.first.wait_for()
    assert sorted(headings.all_inner_texts()) == sorted(summary for _, _, summary in operations(server))
    page.screenshot(path=screenshots / "redoc.png")
    visit.assert_offline_and_clean()


def register(server: str, username: str) -> str:
    email = f"{username}@example.com"
    user = {"username": username, "email": email, "password": PASSWORD}
    response = httpx.post(f"{server}/api/users", json={"user": user})
    assert response.status_code == 201, response.text
    return email


def operations(server: str) -> list[tuple[str, str, str]]:
    """Path, method and summary of every operation in the server's OpenAPI document."""
    document = httpx.get(f"{server}/openapi.json").json()
    return [(path, method, operation["summary"]) for path, item in document["paths"].items()
            for method, operation in item.items() if method in OPERATION_METHODS]
