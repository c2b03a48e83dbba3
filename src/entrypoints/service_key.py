"""The service API key: what lets a monitoring system, and nobody else, read `/metrics` and the workers'
metrics. Users' tokens are never accepted in its place, nor it in theirs."""

import hmac
from enum import Enum

from pydantic import SecretStr

HEADER = "X-API-Key"


class Verdict(Enum):
    ACCEPTED = "accepted"
    DISABLED = "disabled"  # no key is configured: service routes are off
    MISSING = "missing"
    WRONG = "wrong"


class ServiceKey:
    def __init__(self, key: SecretStr | None) -> None:
        self._key = None if key is None else key.get_secret_value().encode()

    @property
    def configured(self) -> bool:
        return self._key is not None

    def check(self, presented: str | None) -> Verdict:
        """`presented` is the header as the HTTP server decoded it (Latin-1, as HTTP/1.1 does); encoded back,
        it is the bytes the caller sent, compared with the key's UTF-8 bytes in constant time."""
        if self._key is None:
            return Verdict.DISABLED
        if not presented:
            return Verdict.MISSING
        try:
            sent = presented.encode("latin-1")
        except UnicodeEncodeError:
            return Verdict.WRONG
        return Verdict.ACCEPTED if hmac.compare_digest(sent, self._key) else Verdict.WRONG
