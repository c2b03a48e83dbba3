"""Schemathesis hooks for `scripts/schemathesis`: every generated request is signed in.

Administration operations are called as an administrator (the one the script created, SCHEMATHESIS_ADMIN_*);
every other operation as a user registered through the API for the run. Some operations end the
session they are called with (log-out, log-out everywhere, a password change, an administrator
revoking sessions); after any 401 that answers a token, the next request signs in afresh, so one
ended session does not turn the rest of the run into a wall of 401s.
"""

import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import schemathesis

BASE_URL = os.environ["SCHEMATHESIS_BASE_URL"]
ADMIN_EMAIL = os.environ["SCHEMATHESIS_ADMIN_EMAIL"]
ADMIN_PASSWORD = os.environ["SCHEMATHESIS_ADMIN_PASSWORD"]
INKWELL = str(Path(sys.executable).with_name("inkwell"))


class Identity:
    """A token that is fetched when first needed and fetched again once the server has refused it."""

    def __init__(self, sign_in: Callable[[], str]) -> None:
        self._sign_in = sign_in
        self._lock = threading.Lock()
        self._token: str | None = None

    def token(self) -> str:
        with self._lock:
            if self._token is None:
                self._token = self._sign_in()
            return self._token

    def forget(self, token: str) -> None:
        with self._lock:
            if self._token == token:
                self._token = None


class Registered:
    """The run's user: registered on first use, signed in again after its session ended, so that what
    it created stays its own (another user would meet 403s on it). A password changed by a generated
    request leaves it unable to sign in: a new user is registered then."""

    def __init__(self) -> None:
        self._email: str | None = None
        self._password = ""

    def __call__(self) -> str:
        if self._email is not None:
            response = _log_in(self._email, self._password)
            if response.status_code == 200:
                return _user_token(response)
        name = f"fuzz{secrets.token_hex(6)}"
        self._email, self._password = f"{name}@example.com", secrets.token_urlsafe(18)
        body = {"user": {"username": name, "email": self._email, "password": self._password}}
        return _user_token(httpx.post(f"{BASE_URL}/api/users", json=body, timeout=30))


class Administrator:
    """The script's administrator; should generated requests have demoted or deactivated it (another
    administrator they promoted still standing), a new one is created with the CLI, as an operator would."""

    def __init__(self) -> None:
        self._email, self._password = ADMIN_EMAIL, ADMIN_PASSWORD

    def __call__(self) -> str:
        response = _log_in(self._email, self._password)
        if response.status_code == 401:
            name = f"admin{secrets.token_hex(6)}"
            self._email, self._password = f"{name}@example.com", secrets.token_urlsafe(18)
            subprocess.run(  # noqa: S603 - our own CLI, with arguments we made
                [INKWELL, "create-admin", "--email", self._email, "--username", name, "--password", self._password],
                check=True, capture_output=True,
            )
            response = _log_in(self._email, self._password)
        return _user_token(response)


def _log_in(email: str, password: str) -> httpx.Response:
    body = {"user": {"email": email, "password": password}}
    return httpx.post(f"{BASE_URL}/api/users/login", json=body, timeout=30)


def _user_token(response: httpx.Response) -> str:
    response.raise_for_status()
    token: str = response.json()["user"]["token"]
    return token


USER, ADMIN = Identity(Registered()), Identity(Administrator())


def _identity(path: str) -> Identity:
    return ADMIN if path.startswith("/api/admin/") else USER


# The identities keep their own tokens: schemathesis asks on every request, so that each operation gets
# the right one and a refused token is replaced at once.
@schemathesis.auth(refresh_interval=None)
class SignedIn:
    def get(self, case: Any, context: Any) -> str:
        return _identity(context.operation.path).token()

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    sent = (case.headers or {}).get("Authorization", "")
    if response.status_code == 401 and sent.startswith("Token "):
        token = sent.removeprefix("Token ")
        USER.forget(token)
        ADMIN.forget(token)
