"""Each version's JSON schemas (the `ocpp` library's own files), compiled once per process.

A message is checked by a validator that `fastjsonschema` compiled to Python from the schema
file the first time that (version, action, direction) was seen; `jsonschema` is used only after
a failure, to name the precise rule that was broken (`rpc_errors.from_schema_error`), so a bad
message costs what it did before and a good one a fraction of it.

Like the `ocpp` library, formats (`date-time`, `uri`) are not enforced by the schema: the
adapter parses timestamps itself and answers a bad one with a precise error.

Three OCPP 1.6 messages carry decimals with `multipleOf: 0.1` (charging schedules), which binary
floats cannot meet exactly; those are checked as the `ocpp` library checks them, with the
payload's numbers read as `Decimal`.
"""

import decimal
import json
import os
from collections.abc import Callable
from typing import Any

import fastjsonschema
import ocpp
from jsonschema import Draft4Validator
from jsonschema.exceptions import best_match
from ocpp.messages import get_validator

from chargeyard.protocol.rpc_errors import Kind, RpcError, from_schema_error

CALL = 2
CALLRESULT = 3
SEND = 6

_SCHEMA_ROOT = os.path.dirname(ocpp.__file__)
_ANY_FORMAT: dict[str, Callable[[str], bool] | str] = {
    "date-time": lambda _value: True,
    "uri": lambda _value: True,
}
_DECIMAL_CHECKS = {
    ("1.6", CALL, "SetChargingProfile"),
    ("1.6", CALL, "RemoteStartTransaction"),
    ("1.6", CALLRESULT, "GetCompositeSchedule"),
}

Check = Callable[[Any], Any]
_compiled: dict[tuple[str, int, str], Check] = {}


def schema_name(version: str, message_type: int, action: str) -> str:
    if message_type == CALLRESULT:
        return f"{action}Response"
    if message_type == SEND or version == "1.6":
        return action
    return f"{action}Request"


def has_schema(version: str, message_type: int, action: str) -> bool:
    return os.path.exists(_path(version, message_type, action))


def validate(version: str, message_type: int, action: str, payload: dict[str, Any]) -> None:
    """Raise the `RpcError` a station should hear when `payload` breaks its schema.

    An action without a schema file is NotImplemented: this version has no such message.
    """
    key = (version, message_type, action)
    check = _compiled.get(key)
    if check is None:
        check = _compile(key)
        _compiled[key] = check
    try:
        check(payload)
    except fastjsonschema.JsonSchemaValueException:
        raise explain(version, message_type, action, payload) from None


def explain(version: str, message_type: int, action: str, payload: dict[str, Any]) -> RpcError:
    """The precise error for a payload that failed its compiled check."""
    validator = _explaining_validator(version, message_type, action)
    if (version, message_type, action) in _DECIMAL_CHECKS:
        payload = json.loads(json.dumps(payload), parse_float=decimal.Decimal)
    error = best_match(validator.iter_errors(payload))
    if error is None:  # the two engines disagree; trust the library's reading
        return RpcError(Kind.PROPERTY, "payload: does not match the schema")
    return from_schema_error(error, version)


def _compile(key: tuple[str, int, str]) -> Check:
    version, message_type, action = key
    path = _path(version, message_type, action)
    if not os.path.exists(path):
        raise RpcError(Kind.NOT_IMPLEMENTED, f"{action} is not a known action")
    if key in _DECIMAL_CHECKS:
        return _decimal_check(version, message_type, action)
    with open(path, encoding="utf-8-sig") as file:
        schema = json.load(file)
    compiled: Check = fastjsonschema.compile(schema, formats=_ANY_FORMAT, use_default=False)
    return compiled


def _decimal_check(version: str, message_type: int, action: str) -> Check:
    validator = _explaining_validator(version, message_type, action, parse_float=decimal.Decimal)

    def check(payload: Any) -> None:
        exact = json.loads(json.dumps(payload), parse_float=decimal.Decimal)
        if not validator.is_valid(exact):
            raise fastjsonschema.JsonSchemaValueException("does not match the schema")

    return check


def _explaining_validator(
    version: str, message_type: int, action: str, parse_float: Callable[[str], Any] = float
) -> Draft4Validator:
    # The library names a SEND's schema file as this module does (the bare action).
    return get_validator(message_type, action, version, parse_float=parse_float)


def _path(version: str, message_type: int, action: str) -> str:
    folder = "v" + version.replace(".", "")
    return os.path.join(
        _SCHEMA_ROOT, folder, "schemas", schema_name(version, message_type, action) + ".json"
    )
