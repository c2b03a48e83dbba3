"""Settings that cannot run Inkwell, reported: every problem at once, one line each, exit code 2."""

import re
import sys
from typing import Any, NoReturn

from pydantic import ValidationError
from pydantic_settings import SettingsError

from entrypoints import logs
from entrypoints.settings import Settings


def settings_or_exit(*, as_json: bool = False) -> Settings:
    """The settings, or, when they cannot run Inkwell, every problem on stderr, one line each, and exit code 2.
    With `as_json` each line is a JSON log entry, as everything else a server writes on stderr."""
    try:
        return Settings()
    except ValidationError as error:
        _refuse([_problem_line(problem) for problem in error.errors()], as_json=as_json)
    except SettingsError as error:  # a value that could not even be read, e.g. an unreadable .env
        _refuse([str(error)], as_json=as_json)


def _refuse(problems: list[str], *, as_json: bool) -> NoReturn:
    for problem in problems:
        if as_json:
            logs.refused_configuration(problem)
        else:
            print(problem, file=sys.stderr)
    raise SystemExit(2)


def _problem_line(problem: Any) -> str:
    """`NAME message`, in the words of Inkwell's own checks, which name their setting, or of pydantic's; the
    value is repeated only when it is neither a secret nor a URL, which may hold a password."""
    name = str(problem["loc"][0]).upper() if problem["loc"] else "configuration"
    message = str(problem["msg"]).removeprefix("Value error, ")
    if message.startswith(name):
        return message
    message = re.sub(r"^Input ", "", message)
    field = Settings.model_fields.get(name.lower())
    if field is not None and "SecretStr" not in str(field.annotation) and not name.endswith("_URL"):
        message += f" (given: {problem['input']!r})"
    return f"{name} {message}"
