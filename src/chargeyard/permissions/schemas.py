"""Permission request and response bodies."""

from datetime import datetime, time
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from chargeyard.api.schemas import Input, Resource

TagReference = Annotated[
    str, Field(min_length=1, max_length=36, description="The tag's value (or its id).")
]


# A wall-clock time with no zone (the station's local time): JSON Schema's "time" format wants an
# offset, so the document states the form it really has.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "description": "HH:MM:SS"},
        mode="serialization",
    ),
]


def _wall_clock(value: time) -> time:
    return value.replace(tzinfo=None)


# The same as input: a given offset is dropped, the time being the station's local time anyway.
LocalTimeIn = Annotated[
    time,
    AfterValidator(_wall_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$",
            "description": "HH:MM[:SS], local at the station (an offset is ignored)",
        },
        mode="validation",
    ),
]


class PermissionOut(Resource):
    id: str
    id_tag: str | None
    tag_group_id: str | None
    location_id: str | None
    station_id: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    daily_from: LocalTime | None
    daily_until: LocalTime | None
    description: str | None
    created_at: datetime
    updated_at: datetime


class PermissionCreate(Input):
    """Exactly one of `id_tag` and `tag_group_id`; exactly one of `location_id` (the whole
    subtree under it) and `station_id`."""

    id_tag: TagReference | None = None
    tag_group_id: str | None = None
    location_id: str | None = None
    station_id: str | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    daily_from: LocalTimeIn | None = Field(
        default=None, description="Local time at the station; may be after daily_until."
    )
    daily_until: LocalTimeIn | None = None
    description: Annotated[str, Field(max_length=200)] | None = None


class PermissionReplace(PermissionCreate):
    """Every field; those left out are cleared."""


class PermissionPatch(PermissionCreate):
    """Only the fields sent change."""
