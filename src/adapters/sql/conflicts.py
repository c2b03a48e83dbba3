"""Translating constraint violations into what they mean to the domain: a taken value, or a row gone."""

import re

from sqlalchemy.exc import IntegrityError

from adapters.sql.tables import EMAIL_CONSTRAINT, SLUG_CONSTRAINT, USERNAME_INDEX
from domain.errors import Conflict

TAKEN = "has already been taken"

_FIELDS = {
    EMAIL_CONSTRAINT: "email",
    USERNAME_INDEX: "username",
    SLUG_CONSTRAINT: "slug",
    # SQLite names the columns of a table-level UNIQUE constraint, not the constraint.
    "users.email": "email",
    "articles.slug": "slug",
}
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?:index '(?P<index>[^']+)'|(?P<columns>.+))")
_FOREIGN_KEY_VIOLATION = "23503"  # SQLSTATE foreign_key_violation


def conflict_from(error: IntegrityError) -> Conflict | None:
    """The Conflict a violated constraint stands for, or None when it is not one the API reports."""
    field = _FIELDS.get(_constraint_of(error) or "")
    return None if field is None else Conflict(TAKEN, field=field)


def is_missing_reference(error: IntegrityError) -> bool:
    """True when a foreign key refused the write: the row it refers to is not there, or no longer."""
    sqlstate = getattr(error.orig, "sqlstate", None)  # psycopg
    if sqlstate is not None:
        return bool(sqlstate == _FOREIGN_KEY_VIOLATION)
    return "FOREIGN KEY constraint failed" in str(error.orig)


def _constraint_of(error: IntegrityError) -> str | None:
    diag = getattr(error.orig, "diag", None)  # psycopg reports the constraint's name
    if diag is not None:
        return getattr(diag, "constraint_name", None)
    found = _SQLITE_UNIQUE.search(str(error.orig))
    if found is None:
        return None
    return found["index"] or found["columns"].strip()
