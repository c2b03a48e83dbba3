"""What the current-user use cases share: the caller's account together with a renewed token."""

from dataclasses import dataclass

from application.actor import Actor
from application.sessions import SessionIssuer
from application.views import AccountView


@dataclass(frozen=True, slots=True)
class CurrentUser:
    account: AccountView
    token: str  # a LASTING access token of the caller's session


def with_renewed_token(sessions: SessionIssuer, actor: Actor, account: AccountView) -> CurrentUser:
    """Clients that keep one token (RealWorld frontends) store the token of every user object they get,
    so each visit pushes their sign-in further out, up to the session's absolute end and no further."""
    return CurrentUser(account=account, token=sessions.lasting_access(actor.access))
