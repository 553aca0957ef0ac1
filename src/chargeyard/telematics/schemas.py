"""Telematics request and response bodies."""

from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from chargeyard.api.schemas import Input, Resource

Percent = Annotated[float, Field(ge=0, le=100)]
Kilometres = Annotated[float, Field(ge=0, le=10_000_000)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class ReadingIn(Input):
    measured_at: datetime
    soc_percent: Percent | None = None
    odometer_km: Kilometres | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude and longitude come together")
        if self.soc_percent is None and self.odometer_km is None and self.latitude is None:
            raise ValueError("a reading needs soc_percent, odometer_km or a position")
        return self


class ReadingOut(Resource):
    vehicle_id: str
    measured_at: datetime
    soc_percent: float | None
    odometer_km: float | None
    latitude: float | None
    longitude: float | None
    received_at: datetime
