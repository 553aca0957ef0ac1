"""Permission request and response bodies."""

from datetime import datetime, time
from typing import Annotated

from pydantic import Field

from chargeyard.api.schemas import Input, Resource

TagReference = Annotated[
    str, Field(min_length=1, max_length=36, description="The tag's value (or its id).")
]


class PermissionOut(Resource):
    id: str
    id_tag: str | None
    tag_group_id: str | None
    location_id: str | None
    station_id: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    daily_from: time | None
    daily_until: time | None
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
    daily_from: time | None = Field(
        default=None, description="Local time at the station; may be after daily_until."
    )
    daily_until: time | None = None
    description: Annotated[str, Field(max_length=200)] | None = None


class PermissionReplace(PermissionCreate):
    """Every field; those left out are cleared."""


class PermissionPatch(PermissionCreate):
    """Only the fields sent change."""
