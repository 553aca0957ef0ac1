"""External meter request and response bodies."""

from datetime import datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from chargeyard.api.schemas import Input, Resource, refuse_null

MeterName = Annotated[str, Field(min_length=1, max_length=200)]


class MeterIn(Input):
    name: MeterName
    circuit_id: str | None = None
    location_id: str | None = None

    @model_validator(mode="after")
    def _placed_once(self) -> Self:
        if (self.circuit_id is None) == (self.location_id is None):
            raise ValueError("give either circuit_id or location_id")
        return self


class MeterPatch(Input):
    name: MeterName | None = None
    circuit_id: str | None = None
    location_id: str | None = None

    _not_null = refuse_null("name")


class MeterOut(Resource):
    id: str
    name: str
    circuit_id: str | None
    location_id: str | None
    created_at: datetime
    updated_at: datetime


class MeterReadingIn(Input):
    measured_at: datetime
    power_kw: Annotated[float, Field(ge=-1_000_000, le=1_000_000)]
    energy_kwh: Annotated[float, Field(ge=0)] | None = None


class MeterReadingOut(Resource):
    meter_id: str
    measured_at: datetime
    power_kw: float
    energy_kwh: float | None
    received_at: datetime
