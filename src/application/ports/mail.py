"""The mail port: what to send, to whom; rendering and transport belong to the adapter."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

# The mails Inkwell sends, each a pair of templates (HTML and plain text) in the mail adapter.
VERIFY_EMAIL = "verify_email"
RESET_PASSWORD = "reset_password"  # noqa: S105 - a template name
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a template name
NEW_ARTICLE = "new_article"
TEMPLATES = (VERIFY_EMAIL, RESET_PASSWORD, PASSWORD_CHANGED, NEW_ARTICLE)


@dataclass(frozen=True, slots=True)
class Mail:
    """One message to one recipient. `link` is the call to action, if any; `key` identifies the mail
    (its Message-ID derives from it), so that a copy sent again by a retried job is known as the same."""

    template: str
    to: str
    context: Mapping[str, str | int | None] = field(default_factory=dict)
    link: str | None = None
    key: str | None = None


class Mailer(Protocol):
    async def send(self, mails: Sequence[Mail]) -> None:
        """Deliver the mails in order, over one connection where the transport has connections.
        Raises on the first that cannot be delivered; those before it are delivered."""
        ...
