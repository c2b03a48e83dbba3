"""The domain's error hierarchy; each error names the field the API reports it under."""


# No text anywhere may hold U+0000: PostgreSQL cannot store it, and no writer means it.
NUL = "\x00"
NUL_MESSAGE = "must not contain null characters"


class DomainError(Exception):
    """A rule of the model was broken. `field` is the key the API reports the message under."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidValue(DomainError):
    """A value does not satisfy its rules."""


class NotFound(DomainError):
    """The thing asked for does not exist."""


class Forbidden(DomainError):
    """The caller is known but may not do this."""


class Conflict(DomainError):
    """The change collides with existing state, e.g. a taken username."""


class Unauthenticated(DomainError):
    """The caller could not be identified."""


class RateLimited(DomainError):
    """Too many attempts; `retry_after` is in whole seconds."""

    def __init__(self, message: str, *, field: str, retry_after: int) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class Gone(DomainError):
    """The thing existed but is no longer kept, e.g. an export past its expiry."""
