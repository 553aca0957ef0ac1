"""Maintenance window request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from chargeyard.api.limits import StationId
from chargeyard.api.schemas import Input, Resource, refuse_null

Reason = Annotated[str, Field(max_length=2000)]
LocationId = Annotated[str, Field(min_length=1, max_length=32)]


class MaintenanceWindowOut(Resource):
    id: str
    station_id: str | None
    location_id: str | None
    starts_at: datetime
    ends_at: datetime
    reason: str | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime


class MaintenanceWindowCreate(Input):
    """For one station, or for every station at a location (one of the two)."""

    station_id: StationId | None = None
    location_id: LocationId | None = None
    starts_at: datetime = Field(description="A time without a zone is UTC.")
    ends_at: datetime
    reason: Reason | None = None


class MaintenanceWindowPatch(Input):
    """Only the fields sent change; the station or location a window is for does not."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None
    reason: Reason | None = None

    _not_null = refuse_null("starts_at", "ends_at")
