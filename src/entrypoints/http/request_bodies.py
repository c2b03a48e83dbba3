"""What a request body must be before a route reads it: the media type its operation takes, and JSON
nested no deeper than `MAX_JSON_DEPTH`."""

import re
from array import array
from email.message import Message
from enum import Enum
from itertools import accumulate

from fastapi import params
from fastapi.routing import APIRoute
from starlette.requests import Request

# Deeper than any body the API reads (three levels) by far, shallow enough that no nesting costs real time.
MAX_JSON_DEPTH = 32


class BodyKind(Enum):
    JSON = "application/json"
    FORM = "application/x-www-form-urlencoded or multipart/form-data"


# Each message says what to send instead.
NOT_JSON = "is not valid JSON: send a UTF-8 JSON object with Content-Type: application/json"
TOO_DEEP = f"is nested too deeply: JSON may nest at most {MAX_JSON_DEPTH} levels"
NOT_A_FORM = "is not a valid form: send application/x-www-form-urlencoded (or well-formed multipart/form-data)"
NOT_AN_OBJECT = "must be a JSON object"


def body_kind(request: Request) -> BodyKind | None:
    """What the operation that took `request` reads from its body, if anything."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return None
    return BodyKind.FORM if isinstance(route.body_field.field_info, params.Form) else BodyKind.JSON


def is_json(content_type: str | None) -> bool:
    """The media types FastAPI parses as JSON: application/json and application/*+json."""
    if not content_type:
        return False
    media = _media(content_type)
    return media.get_content_maintype() == "application" and (
        (subtype := media.get_content_subtype()) == "json" or subtype.endswith("+json"))


def is_form(content_type: str | None) -> bool:
    return bool(content_type) and _media(content_type or "").get_content_type() in (
        "application/x-www-form-urlencoded", "multipart/form-data")


def has_body(request: Request) -> bool:
    """Whether the client sent a body at all: a chunked body declares no length."""
    length = request.headers.get("content-length")
    return "transfer-encoding" in request.headers or (length is not None and length.strip() not in ("", "0"))


def sent_in_wrong_media_type(request: Request) -> BodyKind | None:
    """The kind of body the operation takes, when the request sent one in another media type."""
    kind = body_kind(request)
    if kind is None or not has_body(request):
        return None
    content_type = request.headers.get("content-type")
    accepted = is_json(content_type) if kind is BodyKind.JSON else is_form(content_type)
    return None if accepted else kind


def _media(content_type: str) -> Message:
    message = Message()
    message["content-type"] = content_type
    return message


# A JSON string, closed or running to the end of the body. Possessive quantifiers and a match from every
# quote keep the scan linear whatever the bytes: the bodies this reads are not valid JSON yet.
_STRING = re.compile(rb'"[^"\\]*+(?:\\[\s\S]?[^"\\]*+)*+(?:"|\Z)')
_NOT_A_BRACKET = bytes(sorted(set(range(256)) - set(b"[]{}")))
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 and, read as a signed byte, -1


def nests_deeper_than(body: bytes, limit: int) -> bool:
    """Whether arrays and objects in a JSON `body` nest more than `limit` levels deep, brackets inside
    strings aside. Counting brackets first settles nearly every body without looking further."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    brackets = _STRING.sub(b"", body).translate(None, _NOT_A_BRACKET)
    return max(accumulate(array("b", brackets.translate(_STEP))), default=0) > limit
