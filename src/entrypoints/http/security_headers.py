"""Headers that tell browsers how little to sniff, refer, run, embed or keep of what Inkwell answers."""

from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The API answers JSON only: nothing in it is to be run, loaded or framed.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"

Headers = tuple[tuple[bytes, bytes], ...]

_ALWAYS: Headers = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"))
# Answers carry tokens, personal data or viewer-specific flags (`favorited`, `following`) and live state
# (health, jobs, metrics): a copy kept by a browser or a shared cache is either a leak or stale.
_NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    """Adds the headers to every HTTP answer. `pages` maps the paths of the documentation (the same for
    every caller, so they may be cached) to their own Content-Security-Policy; every other answer gets
    the API's policy and `Cache-Control: no-store`, unless it chose its own caching."""

    def __init__(self, app: ASGIApp, *, pages: Mapping[str, str]) -> None:
        self.app = app
        self._api = _with_policy(API_POLICY)
        self._api_no_store: Headers = (*self._api, _NO_STORE)
        self._pages = {path: _with_policy(policy) for path, policy in pages.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        page = self._pages.get(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                added: Headers
                if page is not None:
                    added = page
                elif any(name == b"cache-control" for name, _ in headers):
                    added = self._api
                else:
                    added = self._api_no_store
                message["headers"] = [*headers, *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_policy(policy: str) -> Headers:
    return (*_ALWAYS, (b"content-security-policy", policy.encode()))
