"""The OCPP JSON schemas, as the OCTT checks every message the CSMS sends against them.

The files are the `ocpp` library's copies of the OCA schemas (which is why this package may
import `ocpp`, see pyproject.toml). Numbers are read as `Decimal` on both sides, so the
`multipleOf: 0.1` rules of 1.6 charging schedules are checked exactly.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from functools import cache
from typing import Any

import ocpp
from jsonschema import validators

_ROOT = os.path.dirname(ocpp.__file__)
_DIRS = {"1.6": "v16", "2.0.1": "v201"}


def schema_name(version: str, action: str, *, response: bool) -> str:
    if response:
        return f"{action}Response"
    return action if version == "1.6" else f"{action}Request"


@cache
def _validator(version: str, name: str) -> Any:
    path = os.path.join(_ROOT, _DIRS[version], "schemas", f"{name}.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as file:
        schema = json.load(file, parse_float=Decimal)
    cls = validators.validator_for(schema)
    return cls(schema)


def violation(version: str, action: str, raw_payload: Any, *, response: bool) -> str | None:
    """Why `raw_payload` (as parsed with `Decimal` floats) breaks its schema, None if it
    does not; an action without a schema in this version is a violation too."""
    name = schema_name(version, action, response=response)
    validator = _validator(version, name)
    if validator is None:
        return f"{action} is not an OCPP {version} message"
    errors = sorted(validator.iter_errors(raw_payload), key=lambda error: list(error.path))
    if not errors:
        return None
    first = errors[0]
    where = "/".join(str(part) for part in first.path) or "payload"
    return f"{name} breaks its schema at {where}: {first.message}"
