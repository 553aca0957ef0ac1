"""The bounds every REST input is held to, so that no value reaches code or a database that cannot
hold it: an integer beyond what a column stores raised OverflowError (a 500, and a reset
connection), a 200 MiB name was stored and then made every listing slow.

Request bodies get them without a word from their schemas: `api/schemas.py: Input` passes each
field's annotation through `bounded()` when the class is made, so an `int` is held to the
PostgreSQL `integer` range, a float or a Decimal to a magnitude, a `str` (without NUL) to `STRING_MAX_LENGTH` characters, a list or a mapping to
`LIST_MAX_ITEMS` entries, unless the field states a bound of its own (which then wins). Path and
query parameters are not models: they use the aliases below. `tests/api/test_limits.py` reads the
OpenAPI document and fails on any input integer, string or list left without its bounds.
"""

import re
import types
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import BaseMetadata, Ge, Gt, Le, Lt, MaxLen
from fastapi import Path, Query
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic.fields import FieldInfo

from chargeyard.stations.domain import STATION_ID_MAX_LENGTH, STATION_ID_PATTERN

INT_MIN = -(2**31)
INT_MAX = 2**31 - 1  # PostgreSQL's `integer`, the narrowest integer column; SQLite's is wider.

NUMBER_MAX = 1e9
"""The magnitude of a body's float (seconds, kW, A...) that states no bounds of its own."""
DECIMAL_MAX = Decimal("999999")
"""The magnitude of a body's decimal (prices, power limits): the money columns are NUMERIC(12, 6)."""

STRING_MAX_LENGTH = 1_000
"""A body's string field that states no limit of its own (ids, URLs, descriptions)."""
NAME_MAX_LENGTH = 200
"""A display name: an organization's, a location's, a station's, a vehicle's..."""
TEXT_MAX_LENGTH = 10_000
"""The longest strings OCPP carries (a PEM certificate chain, CertificateSigned's 10,000)."""
LIST_MAX_ITEMS = 1_000
"""A body's list (prices, schedule periods, station ids of a bulk command) or mapping."""
MOMENT_MIN = datetime(1900, 1, 1, tzinfo=UTC)
MOMENT_MAX = datetime(9000, 1, 1, tzinfo=UTC)
"""The instants a body or a query may name: 0001-01-01T00:00+14:00 has no UTC value, and a
period or a bucket computed from 9999-12-31 runs past the last date Python holds (a 500). A
naive instant is read as UTC."""


def _moment_in_range(value: datetime) -> datetime:
    range_ = f"an instant between {MOMENT_MIN.isoformat()} and {MOMENT_MAX.isoformat()}"
    try:
        utc = value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    except OverflowError:
        raise ValueError(range_) from None
    if not MOMENT_MIN <= utc <= MOMENT_MAX:
        raise ValueError(range_)
    # A naive instant is UTC (as `clock.as_utc` reads what SQLite returns): made aware here, it
    # compares with the clock and with aware instants instead of raising TypeError (a 500).
    return utc if value.tzinfo is None else value


_SPACE_FOR_PLUS = re.compile(
    r"(\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)"
)


def _plus_restored(value: Any) -> Any:
    """An instant written into a query string by hand, `?start=2026-01-01T00:00:00+01:00`, reaches
    us with its `+` decoded as a space (form encoding): read the space before a trailing offset
    as the `+` it was, rather than refuse an instant every reader sees."""
    if isinstance(value, str) and (found := _SPACE_FOR_PLUS.fullmatch(value)):
        return f"{found[1]}+{found[2]}"
    return value


_IN_RANGE = AfterValidator(_moment_in_range)
Moment = Annotated[datetime, BeforeValidator(_plus_restored), _IN_RANGE]
"""An instant in a path or a query (bodies get the same bound from `bounded()`)."""

StationId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=STATION_ID_MAX_LENGTH,
        pattern=STATION_ID_PATTERN,
        description="The station's OCPP identity: up to 48 characters that are safe in a URL "
        "path and an HTTP header (letters, digits and -._~!$&'()*+,;=@; not '.' or '..').",
        examples=["CP-0001"],
    ),
]

Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX_LENGTH)]
"""A display name in a request body."""

# Path and query parameters.
Id = Annotated[int, Path(ge=1, le=INT_MAX)]
"""A numeric id in the path (a transaction, a reservation, a settlement...)."""
EvseId = Annotated[int, Path(ge=1, le=INT_MAX)]
ConnectorId = Annotated[int, Path(ge=1, le=INT_MAX)]
IdQuery = Annotated[int | None, Query(ge=1, le=INT_MAX)]
"""An optional numeric id filter in the query string (`?transaction_id=`)."""
EvseIdQuery = Annotated[int | None, Query(ge=0, le=INT_MAX)]
"""An optional EVSE filter in the query string (0: the station itself)."""
IntQuery = Annotated[int | None, Query(ge=INT_MIN, le=INT_MAX)]
StationIdPath = Annotated[
    str,
    Path(
        pattern=STATION_ID_PATTERN,
        max_length=STATION_ID_MAX_LENGTH,
        description="The station's OCPP identity.",
        examples=["CP-0001"],
    ),
]
StationIdQuery = Annotated[
    str | None, Query(pattern=STATION_ID_PATTERN, max_length=STATION_ID_MAX_LENGTH)
]


def _refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("a NUL character is not allowed")  # PostgreSQL text cannot hold it
    return value


_NO_NUL = AfterValidator(_refuse_nul)
_LOWER = (Ge, Gt)
_UPPER = (Le, Lt)


def _own_constraints(annotation: Any, default: Any) -> list[Any]:
    """The constraints a field states itself: in `Field(...)` or in its `Annotated[...]`."""
    found: list[Any] = []
    if isinstance(default, FieldInfo):
        found.extend(default.metadata)
    if get_origin(annotation) is Annotated:
        for meta in get_args(annotation)[1:]:
            found.extend(meta.metadata if isinstance(meta, FieldInfo) else [meta])
    return found


def _has(constraints: list[Any], kinds: tuple[type[BaseMetadata], ...]) -> bool:
    return any(isinstance(c, kinds) for c in constraints)


def bounded(annotation: Any, own: list[Any] | None = None) -> Any:
    """`annotation` with the default bounds added wherever it holds an int, a str, a list or a
    dict and `own` (the field's constraints, which apply to the outer type) does not bound it."""
    own = own or []
    origin = get_origin(annotation)
    if annotation is bool or annotation is Any:
        return annotation
    if annotation is int:
        extra: list[Any] = []
        if not _has(own, _LOWER):
            extra.append(Ge(INT_MIN))
        if not _has(own, _UPPER):
            extra.append(Le(INT_MAX))
        return Annotated[(int, *extra)] if extra else int
    if annotation in (float, Decimal):
        top = NUMBER_MAX if annotation is float else DECIMAL_MAX
        extra = [] if _has(own, _LOWER) else [Ge(-top)]
        extra += [] if _has(own, _UPPER) else [Le(top)]
        return Annotated[(annotation, *extra)] if extra else annotation
    if annotation is datetime:
        return Moment
    if annotation is str:
        if _has(own, (MaxLen,)):
            return Annotated[str, _NO_NUL]
        return Annotated[str, MaxLen(STRING_MAX_LENGTH), _NO_NUL]
    if origin is Annotated:
        inner, *meta = get_args(annotation)
        nested = [m for f in meta for m in (f.metadata if isinstance(f, FieldInfo) else [f])]
        return Annotated[(bounded(inner, own + nested), *meta)]
    if origin in (Union, types.UnionType):
        return Union[tuple(bounded(arg, own) for arg in get_args(annotation))]  # noqa: UP007
    if origin in (list, set, frozenset, tuple, dict):
        args = tuple(bounded(arg) for arg in get_args(annotation) if arg is not Ellipsis)
        if origin is tuple and Ellipsis in get_args(annotation):
            args = (*args, Ellipsis)
        shaped = origin[args] if args else annotation
        return shaped if _has(own, (MaxLen,)) else Annotated[shaped, MaxLen(LIST_MAX_ITEMS)]
    return annotation


def bound_fields(cls: type) -> None:
    """Rewrite a class body's annotations in place with `bounded()` (see the module docstring);
    called from `__init_subclass__`, before pydantic reads them."""
    namespace = cls.__dict__
    annotations = namespace.get("__annotations__", {})
    for name, annotation in list(annotations.items()):
        if isinstance(annotation, str) or name.startswith("_"):
            continue
        default = namespace.get(name)
        annotations[name] = bounded(annotation, _own_constraints(annotation, default))
