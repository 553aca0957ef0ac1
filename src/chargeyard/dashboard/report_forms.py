"""The reports page's filter form, drawn from each report kind's own filter model
(`reports/schemas.py`), so the page offers exactly what the REST API takes and a new filter
appears without touching the dashboard. Pure: no I/O."""

import types
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from chargeyard.dashboard.forms import utc_instant


@dataclass(frozen=True)
class FilterField:
    name: str
    label: str
    input: str
    """How the form asks for it: "text", "number", "datetime" or "choice"."""
    choices: tuple[tuple[str, str], ...] = ()
    """(value, label) for a choice; the first is "any" (no filter)."""
    many: bool = False
    """The filter takes a list (one value from the form)."""


def _plain(annotation: Any) -> tuple[Any, bool]:
    """The type under `X | None` and under its constraints (`Annotated`, e.g. the bounded
    `api/limits.py: Moment`), and whether it is a list of it."""
    if get_origin(annotation) in (Union, types.UnionType):
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is list:
        item = get_args(annotation)[0]
        return (get_args(item)[0] if get_origin(item) is Annotated else item), True
    return annotation, False


def label_of(name: str) -> str:
    words = name.replace("_", " ")
    label = words[:1].upper() + words[1:].replace(" id", " ID")
    return label.replace("Id tag", "ID tag").replace("Evse", "EVSE")


def filter_fields(model: type[BaseModel]) -> list[FilterField]:
    fields = []
    for name, info in model.model_fields.items():
        kind, many = _plain(info.annotation)
        label = label_of(name)
        if kind is bool:
            choices = (("", "Any"), ("true", "Yes"), ("false", "No"))
            fields.append(FilterField(name, label, "choice", choices))
        elif isinstance(kind, type) and issubclass(kind, Enum):
            values = tuple((str(m.value), str(m.value)) for m in kind)
            fields.append(FilterField(name, label, "choice", (("", "Any"), *values), many))
        elif kind is datetime:
            fields.append(FilterField(name, label, "datetime"))
        elif kind is int:
            fields.append(FilterField(name, label, "number"))
        else:
            fields.append(FilterField(name, label, "text"))
    return fields


def given_filters(model: type[BaseModel], form: Mapping[str, str]) -> dict[str, Any]:
    """The filters a form sets: its non-empty fields named as the model's, a list filter as
    a list of one, times as UTC instants. Checking them is the report kind's own job."""
    given: dict[str, Any] = {}
    for field in filter_fields(model):
        value = form.get(field.name, "").strip()
        if not value:
            continue
        if field.input == "datetime":
            given[field.name] = utc_instant(value)
        else:
            given[field.name] = [value] if field.many else value
    return given
