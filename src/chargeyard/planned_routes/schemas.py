"""Planned route request and response bodies."""

from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from chargeyard.api.schemas import Input, Resource


class RouteIn(Input):
    departs_at: datetime
    energy_kwh: Annotated[float, Field(gt=0, le=10_000)] | None = None
    target_soc_percent: Annotated[float, Field(gt=0, le=100)] | None = None
    distance_km: Annotated[float, Field(ge=0, le=100_000)] | None = None

    @model_validator(mode="after")
    def _one_need(self) -> Self:
        if (self.energy_kwh is None) == (self.target_soc_percent is None):
            raise ValueError("give either energy_kwh or target_soc_percent")
        return self


class RouteOut(Resource):
    id: str
    vehicle_id: str
    departs_at: datetime
    energy_kwh: float | None
    target_soc_percent: float | None
    distance_km: float | None
    created_at: datetime
