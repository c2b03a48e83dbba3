"""The error model, documented once and referenced from every route's responses."""

from pydantic import BaseModel

# For path and query strings, which reach SQL before any domain rule sees them (PostgreSQL refuses U+0000).
NO_NUL = r"^[^\x00]*$"


class ErrorResponse(BaseModel):
    """Every error: each field (or subject) that is wrong, with what is wrong with it. Each response in the
    document shows an example typical of its status."""

    errors: dict[str, list[str]]


def responses(*codes: int) -> dict[int | str, dict[str, object]]:
    described = {
        401: "Missing, invalid, expired or revoked token",
        403: "Not allowed for this user",
        404: "Not found",
        409: "Conflicts with existing data",
        410: "No longer available",
        413: "Request body too large",
        422: "Invalid input",
        429: "Too many attempts",
        503: "A dependency is unavailable",
    }
    return {code: {"model": ErrorResponse, "description": described[code]} for code in codes}
