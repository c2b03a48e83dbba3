"""Errors the use cases raise beyond the domain's own."""

from domain.errors import InvalidValue, Unauthenticated


class InvalidCredentials(Unauthenticated):
    """Unknown email, wrong password or inactive account: one answer for all three."""

    def __init__(self) -> None:
        super().__init__("invalid", field="credentials")


class InvalidToken(Unauthenticated):
    """A token that is malformed, forged, expired, revoked or of the wrong kind."""

    def __init__(self, message: str = "is invalid") -> None:
        super().__init__(message, field="token")


class TokenReused(InvalidToken):
    """A spent refresh token came back: its session has been ended."""

    def __init__(self) -> None:
        super().__init__("has already been used")


class InvalidEmailToken(InvalidValue):
    """A verification or reset token that is malformed, forged, expired, spent or of the other kind."""

    def __init__(self) -> None:
        super().__init__("is invalid or has expired", field="token")


class DependencyUnavailable(Exception):
    """A service the call needs (database, Redis, broker, mail server) did not answer. Adapters raise it
    in place of their drivers' errors, so that callers decide on it without knowing the driver."""

    def __init__(self, dependency: str) -> None:
        super().__init__(f"{dependency} is unavailable")
        self.dependency = dependency


class Overloaded(Exception):
    """More of one kind of expensive work (password hashing) is waiting than can be done in a few seconds:
    the call is refused at once, to be tried again after `retry_after` whole seconds, rather than queued."""

    def __init__(self, work: str, *, retry_after: int) -> None:
        super().__init__(f"too much {work} waiting")
        self.work = work
        self.retry_after = retry_after


class PermanentFailure(Exception):
    """A job cannot succeed however often it is tried (a recipient the mail server refuses, say):
    the job is marked failed at once instead of being retried."""
