"""Logging as one JSON object per line on stderr, with the `extra` fields of each record: Inkwell's own
lines, and those of every library it runs on, uvicorn's and Python's warnings included."""

import json
import logging
import logging.config
import sys
import threading
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

# uvicorn adds `color_message` to its records: the message again, with terminal colour codes.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}

# Loggers whose informational lines are worth having: Inkwell's, and uvicorn's start, stop and errors.
# Other libraries' lines pass from warnings up.
_CHATTY = ("inkwell", "uvicorn", "uvicorn.error")

log = logging.getLogger("inkwell")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes CR/LF and control characters, so user input cannot forge log lines.
        return json.dumps(entry, default=str)


def config(level: str = "INFO") -> dict[str, Any]:
    """The configuration for `logging.config.dictConfig`: one JSON handler on the root logger, which every
    logger reaches. uvicorn applies it in each of its processes when `inkwell serve` hands it over."""
    level = level.upper()
    others = max(logging.getLevelNamesMapping()[level], logging.WARNING)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": logging.getLevelName(others)},
        # Listed, so that each loses any handler of its own and reaches the root's, whatever configured it before.
        "loggers": {
            **{name: {"level": level, "handlers": [], "propagate": True} for name in _CHATTY},
            # Inkwell logs each request itself, with the request id; uvicorn's own access log stays off.
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }


def configure(level: str = "INFO") -> None:
    logging.config.dictConfig(config(level))
    logging.captureWarnings(True)  # `warnings.warn` becomes a line of the `py.warnings` logger


def refused_configuration(problem: str) -> None:
    """One configuration problem as one JSON line on stderr, before any logging has been configured (the
    level to log at is itself a setting)."""
    entry = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "level": "error",
             "logger": "inkwell.configuration", "event": "configuration_refused", "problem": problem}
    print(json.dumps(entry), file=sys.stderr)


def log_uncaught() -> None:
    """What nothing caught, in the main thread or another, is logged as JSON like everything else rather than
    printed as a plain-text traceback. For commands that run a long time (`inkwell serve`)."""
    sys.excepthook = _uncaught
    threading.excepthook = _uncaught_in_thread


def _uncaught(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
    log.critical("uncaught_error", exc_info=(kind, error, traceback))


def _uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    thread = args.thread.name if args.thread is not None else None
    log.critical("uncaught_error", exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
                 extra={"thread": thread})
