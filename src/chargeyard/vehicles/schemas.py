"""Request and response bodies of /api/v1/vehicles."""

from datetime import datetime
from typing import Annotated

from pydantic import BeforeValidator, Field

from chargeyard.api.schemas import Input, Percent, Positive, Priority, Resource, refuse_null

Departure = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="HH:MM UTC")]
IdTag = Annotated[
    str, Field(min_length=1, max_length=36, description="The ID tag (RFID) the vehicle uses.")
]


Vin = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().upper() if isinstance(v, str) else v),
    Field(
        min_length=17,
        max_length=17,
        pattern=r"^[A-HJ-NPR-Z0-9]{17}$",
        description="ISO 3779 VIN: 17 letters and digits, no I, O or Q (case-insensitive).",
    ),
]
Make = Annotated[str, Field(min_length=1, max_length=100)]
LicensePlate = Annotated[str, Field(min_length=1, max_length=20)]


class VehicleIn(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    vin: Vin | None = None
    make: Make | None = None
    model: Make | None = None
    license_plate: LicensePlate | None = None
    group_id: str | None = None
    id_tag: IdTag | None = None
    battery_kwh: Positive
    soc_percent: Percent | None = None
    target_soc_percent: Percent = 100.0
    departure_time: Departure | None = None
    max_power_kw: Positive | None = None
    priority: Priority | None = None


class VehiclePatch(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    vin: Vin | None = None
    make: Make | None = None
    model: Make | None = None
    license_plate: LicensePlate | None = None
    group_id: str | None = None
    id_tag: IdTag | None = None
    battery_kwh: Positive | None = None
    soc_percent: Percent | None = None
    target_soc_percent: Percent | None = None
    departure_time: Departure | None = None
    max_power_kw: Positive | None = None
    priority: Priority | None = None

    _not_null = refuse_null("name", "battery_kwh", "target_soc_percent")


class VehicleOut(Resource):
    id: str
    name: str
    vin: str | None
    make: str | None
    model: str | None
    license_plate: str | None
    group_id: str | None
    id_tag: str | None
    battery_kwh: float
    soc_percent: float | None
    target_soc_percent: float
    departure_time: str | None
    max_power_kw: float | None
    priority: int | None
    created_at: datetime
    updated_at: datetime
