"""Translating unique-constraint violations into the domain's Conflict, by constraint name."""

import re

from sqlalchemy.exc import IntegrityError

from adapters.sql.tables import EMAIL_CONSTRAINT, USERNAME_INDEX
from domain.errors import Conflict

TAKEN = "has already been taken"

_FIELDS = {
    EMAIL_CONSTRAINT: "email",
    USERNAME_INDEX: "username",
    # SQLite names the columns of a table-level UNIQUE constraint, not the constraint.
    "users.email": "email",
}
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?:index '(?P<index>[^']+)'|(?P<columns>.+))")


def conflict_from(error: IntegrityError) -> Conflict | None:
    """The Conflict a violated constraint stands for, or None when it is not one the API reports."""
    field = _FIELDS.get(_constraint_of(error) or "")
    return None if field is None else Conflict(TAKEN, field=field)


def _constraint_of(error: IntegrityError) -> str | None:
    diag = getattr(error.orig, "diag", None)  # psycopg reports the constraint's name
    if diag is not None:
        return getattr(diag, "constraint_name", None)
    found = _SQLITE_UNIQUE.search(str(error.orig))
    if found is None:
        return None
    return found["index"] or found["columns"].strip()
