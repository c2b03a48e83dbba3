r"""The rules the server enforces on text fields, stated in the published schema.

The domain judges every value; these schemas repeat its rules exactly, so that clients and generated
tests know in advance what is accepted. Pydantic validates only the type and the length here (its own
messages are no better than the domain's), and `WithJsonSchema` publishes the whole rule.

Patterns are read by tools in Python's dialect and in JavaScript's; each one here means the same in
both. White space is spelled out (the dialects' `\s` differ), and a final `$` is used only where what
comes before it also takes a final newline (Python's `$` also matches before one).
"""

from typing import Any

from pydantic import WithJsonSchema

from domain.passwords import COMMON_PASSWORDS
from domain.passwords import MAX_LENGTH as PASSWORD_MAX
from domain.passwords import MIN_LENGTH as PASSWORD_MIN
from domain.users import EMAIL_MAX_LENGTH, EMAIL_PATTERN, SPACE, USERNAME_PATTERN

NO_NUL = r"^[^\u0000]*$"
# Something besides white space, and no NUL anywhere: what "can't be blank" and the NUL rule accept.
NOT_BLANK = rf"^[{SPACE}]*[^{SPACE}\u0000][^\u0000]*$"
# Judged on the trimmed value, so white space around it is allowed.
USERNAME = rf"^[{SPACE}]*{USERNAME_PATTERN}[{SPACE}]*$"
EMAIL = rf"^[{SPACE}]*{EMAIL_PATTERN}[{SPACE}]*$"
# An image is a URL, trimmed: nothing (no image), or no white space inside, and no NUL.
IMAGE = rf"^[{SPACE}]*(?:[^{SPACE}\u0000]+[{SPACE}]*)?$"


def _string(*, nullable: bool = False, **rules: object) -> WithJsonSchema:
    schema: dict[str, Any] = {"type": "string", **rules}
    if nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return WithJsonSchema(schema)


def username() -> WithJsonSchema:
    return _string(pattern=USERNAME, maxLength=64)


def email() -> WithJsonSchema:
    # No `format: email`: its usual readings differ from this rule, which is the one that holds.
    return _string(pattern=EMAIL, maxLength=EMAIL_MAX_LENGTH, description="An e-mail address.")


def given_email(*, description: str = "The account's e-mail address.") -> WithJsonSchema:
    """An address to log in with: anything not blank; an address that cannot exist fails like a wrong one."""
    return _string(pattern=rf"^[{SPACE}]*[^{SPACE}]", maxLength=EMAIL_MAX_LENGTH, description=description)


def given_password() -> WithJsonSchema:
    """A password to log in with: anything not empty."""
    return _string(format="password", minLength=1, maxLength=PASSWORD_MAX)


def new_password(*, refuse_common: bool) -> dict[str, Any]:
    """A password the policy accepts. With `refuse_common`, the well-known ones are excluded, ASCII letters
    in either case, as the policy matches them."""
    schema: dict[str, Any] = {"type": "string", "format": "password", "minLength": PASSWORD_MIN,
                              "maxLength": PASSWORD_MAX}
    if refuse_common:
        alternatives = "|".join(_any_case(word) for word in sorted(COMMON_PASSWORDS))
        # `(?![\s\S])` is the end of the text in both dialects (Python's `$` would also stop before a newline).
        schema["pattern"] = rf"^(?!(?:{alternatives})(?![\s\S]))"
        schema["description"] = "At least 8 characters, and not one of the best-known passwords."
    return schema


def restate_password_policy(document: dict[str, Any], *, refuse_common: bool) -> None:
    """Make every new-password field of `document` say what the running configuration's policy accepts."""
    published, actual = new_password(refuse_common=True), new_password(refuse_common=refuse_common)
    if published == actual:
        return
    for schema in document.get("components", {}).get("schemas", {}).values():
        for name, field in schema.get("properties", {}).items():
            if {key: value for key, value in field.items() if key != "title"} == published:
                schema["properties"][name] = {**actual, "title": field.get("title", name)}
            elif field.get("anyOf") and published in field["anyOf"]:
                field["anyOf"] = [actual if option == published else option for option in field["anyOf"]]


def new_password_schema() -> WithJsonSchema:
    """The policy as configured by default; `openapi.install` restates it for the running configuration."""
    return WithJsonSchema(new_password(refuse_common=True))


def not_blank(max_length: int, *, nullable: bool = False) -> WithJsonSchema:
    return _string(nullable=nullable, pattern=NOT_BLANK, minLength=1, maxLength=max_length)


def text(max_length: int, *, nullable: bool = False) -> WithJsonSchema:
    return _string(nullable=nullable, pattern=NO_NUL, maxLength=max_length)


def image(max_length: int) -> WithJsonSchema:
    return _string(nullable=True, pattern=IMAGE, maxLength=max_length)


def _any_case(word: str) -> str:
    return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else _escaped(ch) for ch in word)


def _escaped(ch: str) -> str:
    return ch if ch.isalnum() else "\\" + ch
