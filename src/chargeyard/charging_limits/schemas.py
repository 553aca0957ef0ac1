"""Charging limit response bodies."""

from datetime import datetime
from typing import Any

from pydantic import Field

from chargeyard.api.schemas import Resource


class ChargingLimitOut(Resource):
    id: int
    station_id: str
    evse_id: int | None
    source: str
    grid_critical: bool | None
    schedules: list[dict[str, Any]]
    reported_at: datetime
    cleared_at: datetime | None
    profile_id: int | None = Field(
        description="Set when read back: the station's ChargingStationExternalConstraints "
        "profile (`profile`, as reported); null for a NotifyChargingLimit."
    )
    profile: dict[str, Any] | None
