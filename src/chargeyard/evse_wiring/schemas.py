"""Request and response bodies of /api/v1/stations/{id}/wiring."""

from typing import Annotated

from pydantic import Field

from chargeyard.api.schemas import Input, NonNegative, Positive, Priority, Resource
from chargeyard.charging_profiles.domain import RateUnit
from chargeyard.smart_charging.electrical import Supply


class WiringIn(Input):
    supply: Supply = Supply.AC_THREE_PHASE_LN
    voltage_v: Positive = 230.0
    power_factor: Annotated[float, Field(gt=0, le=1)] = 1.0
    lines: list[str] = Field(default_factory=lambda: ["L1", "L2", "L3"])
    max_power_kw: Positive = 22.08
    min_power_kw: NonNegative | None = Field(None, description="Default: 6 A for AC, 0 for DC.")
    power_step_kw: NonNegative = 0.0
    bidirectional: bool = False
    rate_unit: RateUnit | None = Field(None, description="Unit of profiles; default W, learnt.")
    priority: Priority | None = None


class WiringOut(Resource):
    station_id: str
    evse_id: int
    supply: str
    voltage_v: float
    power_factor: float
    lines: str
    max_power_kw: float
    min_power_kw: float | None
    power_step_kw: float
    bidirectional: bool
    rate_unit: str | None
    priority: int | None
