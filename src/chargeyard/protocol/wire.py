"""Payload shapes on the wire and in Python: camelCase JSON objects and snake_case keyword
arguments and dataclasses.

The `ocpp` library spells the key rules (including the specification's irregular casing, such as
`SoC`, `V2X` and `ocppCsmsUrl`); its converters re-run those regular expressions on every key
of every message. Here each key is converted once per process and remembered, and a
dataclass's fields are read without `dataclasses.asdict`'s deep copy: the same results at a
fraction of the cost on the per-message path.
"""

from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any

from ocpp.charge_point import camel_to_snake_case, snake_to_camel_case

_SNAKE: dict[str, str] = {}
_CAMEL: dict[str, str] = {}
_FIELDS: dict[type, tuple[str, ...]] = {}


def snake_key(key: str) -> str:
    converted = _SNAKE.get(key)
    if converted is None:
        converted = next(iter(camel_to_snake_case({key: None})))
        _SNAKE[key] = converted
    return converted


def camel_key(key: str) -> str:
    converted = _CAMEL.get(key)
    if converted is None:
        converted = next(iter(snake_to_camel_case({key: None})))
        _CAMEL[key] = converted
    return converted


def from_wire(value: Any) -> Any:
    """A received payload with every object key in snake_case (values untouched)."""
    if isinstance(value, dict):
        return {snake_key(k): from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_wire(item) for item in value]
    return value


def to_wire(value: Any) -> Any:
    """A payload to send: dataclasses and dicts as camelCase objects without None members,
    enums as their values."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {camel_key(k): to_wire(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [to_wire(item) for item in value if item is not None]
    if is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS.get(type(value))
        if names is None:
            names = tuple(field.name for field in fields(value))
            _FIELDS[type(value)] = names
        out = {}
        for name in names:
            item = getattr(value, name)
            if item is not None:
                out[camel_key(name)] = to_wire(item)
        return out
    return value
