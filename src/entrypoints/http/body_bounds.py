"""The largest request body an operation's published schema admits, in bytes: what `MAX_BODY_BYTES` must
allow for every valid body to be read.

A length in the schema counts characters, the byte limit counts bytes, and a client may escape any
character: `\\ud83d\\ude00` in JSON, `%F0%9F%98%80` in a form, 12 bytes for one character either way.
The bound is for the compact encoding of the fields the schema declares (whitespace and unknown fields,
which the server ignores, are the client's choice and have no bound).
"""

import math
from typing import Any

ESCAPED_CHARACTER = 12
ESCAPED_NAME_CHARACTER = 6  # names are ASCII: `\u0075` in JSON, `%75` in a form
NUMBER = 24  # a 64-bit integer or a double, written out

Schema = dict[str, Any]


def largest_body(operation: Schema, components: Schema) -> float:
    """The most bytes a valid body of `operation` takes in any media type it documents; 0 without a body,
    `math.inf` when some string or array in it has no maximum length."""
    content = operation.get("requestBody", {}).get("content", {})
    sizes = [_largest(media_type, entry.get("schema", {}), components) for media_type, entry in content.items()]
    return max(sizes, default=0)


def _largest(media_type: str, schema: Schema, components: Schema) -> float:
    if media_type == "application/json":
        return _json(schema, components)
    if media_type == "application/x-www-form-urlencoded":
        return _form(_resolved(schema, components), components)
    if media_type == "multipart/form-data":
        return _multipart(_resolved(schema, components), components)
    return math.inf  # not one this module knows how to bound


def _json(schema: Schema, components: Schema) -> float:
    schema = _resolved(schema, components)
    choices = schema.get("anyOf") or schema.get("oneOf")
    if choices:
        return max(_json(choice, components) for choice in choices)
    if "const" in schema or "enum" in schema:
        values = [schema["const"]] if "const" in schema else schema["enum"]
        return max(_json_value(value) for value in values)
    kind = str(schema.get("type"))
    if kind == "string":
        return 2 + ESCAPED_CHARACTER * float(schema.get("maxLength", math.inf))
    if kind == "array":
        return 2 + float(schema.get("maxItems", math.inf)) * (_json(schema.get("items", {}), components) + 1)
    if kind == "object":
        fields = schema.get("properties", {})
        return 2 + sum(_json_name(name) + 1 + _json(field, components) + 1 for name, field in fields.items())
    return {"boolean": 5, "null": 4, "integer": NUMBER, "number": NUMBER}.get(kind, math.inf)


def _json_value(value: object) -> float:
    if isinstance(value, str):
        return 2 + ESCAPED_CHARACTER * len(value)
    return NUMBER if isinstance(value, int | float) and not isinstance(value, bool) else 5


def _json_name(name: str) -> int:
    return 2 + ESCAPED_NAME_CHARACTER * len(name)


def _form(schema: Schema, components: Schema) -> float:
    fields = schema.get("properties", {})
    return sum(3 * len(name) + 1 + _form_value(field, components) + 1 for name, field in fields.items())


# A part's boundary line (at most 70 characters by RFC 2046), its Content-Disposition header and line ends.
MULTIPART_PART = 200


def _multipart(schema: Schema, components: Schema) -> float:
    """Values go unescaped in a multipart body (4 bytes at most for a UTF-8 character), so the escaped
    form's bound covers them; each part adds its boundary and header."""
    fields = schema.get("properties", {})
    return _form(schema, components) + MULTIPART_PART * (len(fields) + 1)


def _form_value(schema: Schema, components: Schema) -> float:
    schema = _resolved(schema, components)
    choices = schema.get("anyOf") or schema.get("oneOf")
    if choices:
        return max(_form_value(choice, components) for choice in choices)
    if "const" in schema:
        return ESCAPED_CHARACTER * len(str(schema["const"]))
    kind = str(schema.get("type"))
    if kind == "string":
        return ESCAPED_CHARACTER * float(schema.get("maxLength", math.inf))
    return {"boolean": 5, "null": 0, "integer": NUMBER, "number": NUMBER}.get(kind, math.inf)


def _resolved(schema: Schema, components: Schema) -> Schema:
    while "$ref" in schema:
        schema = components["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema
