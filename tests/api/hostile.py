"""Hostile input for the API sweeps: the values tried, a minimal body with one field replaced,
and one request judged (a 5xx, a 4xx that is not a problem document or a dropped connection is a
failure). Shared by tests/api/test_sweeps.py and tests/commands/test_hostile_bodies.py."""

import os
import random
from typing import Any

import httpx

from tests.api.openapi_walk import Operation, resolve, sample

PROBLEM = "application/problem+json"
HUGE = 2**63

QUERY_VALUES = [
    "💩",
    "\x00",
    str(HUGE),
    str(-HUGE - 1),
    "x" * 5_000,
    "9999-12-31T23:59:59Z",
    "0001-01-01T00:00:00+14:00",
    "-1",
    "",
    "NaN",
    "1e400",
    "a\nb",
]
BODY_VALUES: list[Any] = [
    HUGE,
    -HUGE - 1,
    -1,
    0,
    "💩",
    "a\x00b",
    "x" * 100_000,
    "9999-12-31T23:59:59.999999-14:00",
    "0001-01-01T00:00:00+14:00",
    None,
    [],
    {},
    [[[[]]]],
    1e308,
    True,
    "NaN",
    "1e400",
    "\ud800",  # half a surrogate pair: json.dumps escapes it, Python parses it back
    "a\udfffb",
    float("nan"),  # json.dumps writes the bare NaN and Infinity tokens Python's parser takes
    float("inf"),
    float("-inf"),
    1.5,
]
PATH_VALUES = [  # as they go in the URL: percent-encoded
    "%F0%9F%92%A9",
    "a%00b",
    "a%0Ab",
    "x" * 5_000,
    "..",
    "%2F",
    str(HUGE),
    "-1",
    "%20",
    "%FF",  # not UTF-8
    "%ED%A0%80",  # a surrogate, UTF-8-encoded
    "%E2%80%AE",  # right-to-left override
]
# Whole query strings for parameter `{name}`: the parameter twice, a byte that is not UTF-8, the
# PHP-style list suffix.
RAW_QUERIES = ["{name}=1&{name}=2", "{name}=%FF", "{name}[]=1"]
RAW_BODIES = [b"{", b'{"a": "\\u0000"}', b'{"a": 1, "a": 2}', b"[]", b'"x"', b"null", b"\xff"]
# How many of them are tried per field, drawn by a generator seeded with the operation's id;
# CHARGEYARD_HOSTILE_VALUES=all tries every one.
PER_FIELD = None if os.environ.get("CHARGEYARD_HOSTILE_VALUES") == "all" else 3


async def judged(
    api: httpx.AsyncClient, method: str, url: str, failures: list[str], **kw: Any
) -> httpx.Response | None:
    """Send one request; note a 5xx, a 4xx that is not a problem document, or a dropped
    connection in `failures`."""
    what = f"{method} {url[:100]} {str(kw)[:160]}"
    try:
        answer = await api.request(method, url, **kw)
    except httpx.HTTPError as error:
        failures.append(f"{what}: {type(error).__name__}")
        return None
    if answer.status_code >= 500:
        failures.append(f"{what}: {answer.status_code} {answer.text[:200]}")
    elif answer.status_code >= 400 and answer.headers.get("content-type") != PROBLEM:
        failures.append(f"{what}: {answer.status_code} as {answer.headers.get('content-type')}")
    return answer


def minimal_body(operation: Operation) -> tuple[Any, dict[str, Any] | None]:
    """A body the schema accepts (None without one) and the schema of one item of it."""
    schema = operation.body_schema()
    if schema is None:
        return None, None
    if schema.get("type") == "array":
        item = resolve(schema["items"], operation.components)
        return [sample(item, operation.components)], item
    return sample(schema, operation.components), schema


def with_field(body: Any, name: str, value: Any) -> Any:
    if isinstance(body, list):
        return [{**(body[0] or {}), name: value}]
    return {**(body or {}), name: value}


def drawn(values: list[Any], operation: Operation, salt: str) -> list[Any]:
    if PER_FIELD is None:
        return values
    return random.Random(f"{operation.operation_id}:{salt}").sample(values, PER_FIELD)
