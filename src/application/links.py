"""Links in mails point at the frontend, which posts the token to the API (never an API URL with a token in it)."""

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class FrontendLinks:
    base_url: str  # e.g. http://localhost:3000

    def verify_email(self, token: str) -> str:
        return f"{self._base}/verify-email?token={quote(token, safe='')}"

    def reset_password(self, token: str) -> str:
        return f"{self._base}/reset-password?token={quote(token, safe='')}"

    def article(self, slug: str) -> str:
        return f"{self._base}/article/{quote(slug, safe='')}"

    @property
    def _base(self) -> str:
        return self.base_url.rstrip("/")
