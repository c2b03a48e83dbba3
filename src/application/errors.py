"""Errors the use cases raise beyond the domain's own."""

from domain.errors import Unauthenticated


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
