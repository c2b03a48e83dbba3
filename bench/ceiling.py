"""The ceiling of this machine: a bare ASGI app that answers `GET /<n>` with a JSON document of n bytes.

Served by uvicorn with the settings `inkwell serve` uses (no access log, no proxy headers, the default loop
and HTTP parser, which pick uvloop and httptools, the same number of workers), it is as fast as a Python
server here can be for an answer of that size. Every Inkwell figure is also given as a fraction of it, so a
number can be read without knowing the machine. Run as `python -m bench.ceiling --port P --workers N`.
"""

import argparse
import math
from typing import Any

import uvicorn

# Answers are grouped into size buckets 1.5x apart: the ceiling hardly moves within one (it changes by a few
# percent between 1 and 10 kB), and a run measures one ceiling per bucket rather than one per case.
BUCKET_RATIO = 1.5
_OPEN, _CLOSE = b'{"ceiling":"', b'"}'

_documents: dict[int, bytes] = {}


def bucket(size: int) -> int:
    """The size the ceiling is measured at for an answer of `size` bytes."""
    if size <= 16:
        return 16
    return round(BUCKET_RATIO ** round(math.log(size, BUCKET_RATIO)))


def document(size: int) -> bytes:
    """A valid JSON document of exactly `size` bytes (at least 16), made once and kept."""
    found = _documents.get(size)
    if found is None:
        size = max(size, 16)
        found = _OPEN + b"x" * (size - len(_OPEN) - len(_CLOSE)) + _CLOSE
        _documents[size] = found
    return found


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    digits = scope["path"][1:]
    if digits.isdigit() and 0 < int(digits) <= 10_000_000:
        status, body = 200, document(int(digits))
    else:
        status, body = (200, b'{"status":"ok"}') if digits == "health" else (404, b'{"errors":{}}')
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    uvicorn.run("bench.ceiling:app", host="127.0.0.1", port=args.port, workers=args.workers,
                log_level="warning", proxy_headers=False, access_log=False)


if __name__ == "__main__":
    main()
