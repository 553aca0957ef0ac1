"""Checking a recorded event's `data` against its payload type (`events/payloads.py`), for the
tests whose flows record it: a strict reading of the TypedDict, without a validation library
(pydantic reads `typing.TypedDict` only from Python 3.12)."""

import types
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

from chargeyard.events.payloads import PAYLOADS


def fits(event_type: str, data: Any) -> None:
    """`data`, as recorded (decoded JSON), is what `event_type`'s payload type says."""
    check(data, PAYLOADS[event_type], event_type)


def check(value: Any, hint: Any, path: str = "data") -> None:
    """`value` (decoded JSON) is of type `hint`, strictly: a bool is not an int, a TypedDict
    has all its required keys and no others, in the order it declares them (the order its
    emitter writes them: the JSON stays as it always was)."""
    if is_typeddict(hint):
        assert isinstance(value, dict), f"{path}: {value!r} is not an object"
        required, optional = hint.__required_keys__, hint.__optional_keys__
        assert required <= set(value), f"{path}: missing {sorted(required - set(value))}"
        extra = set(value) - required - optional
        assert not extra, f"{path}: fields the type does not declare: {sorted(extra)}"
        hints = get_type_hints(hint)
        declared = [key for key in hints if key in value]
        assert list(value) == declared, f"{path}: fields out of their declared order"
        for key, item in value.items():
            check(item, hints[key], f"{path}.{key}")
    elif get_origin(hint) in (Union, types.UnionType):
        errors = []
        for arm in get_args(hint):
            try:
                check(value, arm, path)
                return
            except AssertionError as error:
                errors.append(str(error))
        raise AssertionError(" / ".join(errors))
    elif get_origin(hint) is list:
        assert isinstance(value, list), f"{path}: {value!r} is not a list"
        for index, item in enumerate(value):
            check(item, get_args(hint)[0], f"{path}[{index}]")
    elif get_origin(hint) is dict:
        assert isinstance(value, dict), f"{path}: {value!r} is not an object"
        for key, item in value.items():
            check(item, get_args(hint)[1], f"{path}.{key}")
    elif hint is Any:
        pass
    elif hint is float:  # JSON has one kind of number
        assert type(value) in (int, float), f"{path}: {value!r} is not a number"
    elif hint is type(None):
        assert value is None, f"{path}: {value!r} is not null"
    elif hint in (bool, int, str):
        assert type(value) is hint, f"{path}: {value!r} is not a {hint.__name__}"
    else:
        raise TypeError(f"{path}: no check for {hint!r}")


async def recorded_fit(api: Any, prefix: str) -> list[str]:
    """The types of the organization's events starting with `prefix`, oldest first, each
    checked against its payload type (`api`: the organization's `httpx.AsyncClient`)."""
    answer = await api.get("/events", params={"order": "asc", "limit": 1000})
    assert answer.status_code == 200, answer.text
    types = []
    for event in answer.json()["items"]:
        if event["type"].startswith(prefix):
            fits(event["type"], event["data"])
            types.append(event["type"])
    return types
