"""Pages of a list: bounded so that no request can ask for everything at once."""

from dataclasses import dataclass

from domain.errors import InvalidValue

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


@dataclass(frozen=True, slots=True)
class Page:
    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidValue(f"must be between 1 and {MAX_LIMIT}", field="limit")
        if not 0 <= self.offset <= MAX_OFFSET:
            raise InvalidValue(f"must be between 0 and {MAX_OFFSET}", field="offset")
