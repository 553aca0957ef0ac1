"""Request and response bodies of smart charging's API."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from chargeyard.api.schemas import Input, Resource, refuse_null
from chargeyard.charging_profiles.domain import RateUnit
from chargeyard.load_management.domain import DemandResponseKind, MeasurementKind
from chargeyard.smart_charging.electrical import Supply
from chargeyard.smart_charging.snapshot import Objective

Positive = Annotated[float, Field(gt=0)]
NonNegative = Annotated[float, Field(ge=0)]
Percent = Annotated[float, Field(ge=0, le=100)]
Priority = Annotated[int, Field(ge=0, le=5, description="0 = maximum (opt-out) ... 5 = very low")]
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


RotationSlice = Annotated[float, Field(ge=1, le=86_400)]


SiteOfCircuit = Annotated[
    str,
    Field(
        max_length=64,
        description="The location (site) the circuit belongs to; its sub-circuits without one "
        "belong there too. A site-scoped user sees a circuit of its sites, and hangs its "
        "stations on it, even before any station hangs there.",
    ),
]


class CircuitCreate(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    parent_id: str | None = None
    location_id: SiteOfCircuit | None = None
    max_power_kw: Positive | None = None
    max_current_a: Positive | None = Field(None, description="Per phase, on each of `phases`.")
    phases: Annotated[int, Field(ge=1, le=3)] = 3
    buffer_kw: NonNegative = 0.0
    buffer_a: NonNegative = 0.0
    objective: Objective = Objective.LOAD_SHARING
    price_cap_above: Decimal | None = Field(None, description="Above this price per kWh ...")
    price_cap_share: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="... use at most this share of the capacity (fleet objective)."
    )
    rotation_slice_s: RotationSlice | None = Field(
        None,
        description="When the circuit cannot give every session its minimum, paused sessions "
        "take turns of this many seconds (load sharing); unset: the circuit above decides, "
        "else 300.",
    )


class CircuitPatch(Input):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    parent_id: str | None = None
    location_id: SiteOfCircuit | None = None
    max_power_kw: Positive | None = None
    max_current_a: Positive | None = None
    phases: Annotated[int, Field(ge=1, le=3)] | None = None
    buffer_kw: NonNegative | None = None
    buffer_a: NonNegative | None = None
    objective: Objective | None = None
    price_cap_above: Decimal | None = None
    price_cap_share: Annotated[float, Field(ge=0, le=1)] | None = None
    rotation_slice_s: RotationSlice | None = None

    _not_null = refuse_null("name", "phases", "buffer_kw", "buffer_a", "objective")


class CircuitOut(Resource):
    id: str
    name: str
    parent_id: str | None
    location_id: str | None = None
    max_power_kw: float | None
    max_current_a: float | None
    phases: int
    buffer_kw: float
    buffer_a: float
    objective: Objective
    price_cap_above: Decimal | None
    price_cap_share: float | None
    rotation_slice_s: float | None
    created_at: datetime
    updated_at: datetime


class WindowIn(Input):
    starts_at: datetime
    ends_at: datetime
    max_power_kw: NonNegative | None = None
    max_current_a: NonNegative | None = None


class WindowOut(Resource):
    id: str
    circuit_id: str
    starts_at: datetime
    ends_at: datetime
    max_power_kw: float | None
    max_current_a: float | None


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


class SessionNeedsIn(Input):
    vehicle_id: str | None = None
    battery_kwh: Positive | None = None
    soc_percent: Percent | None = None
    target_soc_percent: Percent | None = None
    energy_kwh: NonNegative | None = None
    departure_at: datetime | None = None
    max_power_kw: Positive | None = None
    priority: Priority | None = None


class SessionNeedsOut(Resource):
    transaction_id: int
    vehicle_id: str | None
    battery_kwh: float | None
    soc_percent: float | None
    target_soc_percent: float | None
    energy_kwh: float | None
    departure_at: datetime | None
    max_power_kw: float | None
    priority: int | None


class PriceIn(Input):
    starts_at: datetime
    ends_at: datetime
    price_per_kwh: Decimal
    circuit_id: str | None = None


class PriceOut(Resource):
    id: str
    circuit_id: str | None
    starts_at: datetime
    ends_at: datetime
    price_per_kwh: Decimal


class DemandResponseIn(Input):
    circuit_id: str
    kind: DemandResponseKind = DemandResponseKind.CURTAILMENT
    starts_at: datetime
    ends_at: datetime
    max_power_kw: float | None = Field(
        None,
        description="Curtailment: the cap (0 or more). V2G: the target for the site's net "
        "import (sessions plus baseload less solar), reached by discharging bidirectional "
        "EVSEs whose sessions can spare it; negative asks the site to export.",
    )


class DemandResponseOut(Resource):
    id: str
    circuit_id: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    max_power_kw: float | None


class MeasurementIn(Input):
    kind: MeasurementKind
    measured_at: datetime
    power_kw: NonNegative
    forecast: bool = False


class MeasurementOut(Resource):
    id: int
    circuit_id: str
    kind: str
    measured_at: datetime
    power_kw: float
    forecast: bool


class AllocationOut(Resource):
    circuit_id: str
    station_id: str
    evse_id: int
    transaction_id: int | None
    at: datetime
    power_kw: float
    objective: str
    schedule: list[Any] | None


class ProfileSentOut(Resource):
    circuit_id: str
    station_id: str
    evse_id: int
    transaction_id: int | None
    purpose: str
    unit: str
    limit_kw: float
    limits: list[Any]
    status: str
    detail: str | None
    sent_at: datetime


class WhatIfIn(Input):
    objective: Objective | None = Field(None, description="Default: the circuit's.")


class SessionPlanOut(Resource):
    transaction_id: int
    station_id: str
    evse_id: int
    power_kw: float
    schedule_kw: list[float] | None
    energy_needed_kwh: float | None
    departure: datetime | None


class LimitOut(Resource):
    station_id: str
    evse_id: int
    purpose: str
    limit_kw: float


class PlanOut(Resource):
    circuit_id: str
    objective: Objective
    at: datetime
    slot_minutes: int
    sessions: list[SessionPlanOut]
    limits: list[LimitOut]
    total_kw: float
    solve_ms: float


class StepOut(Resource):
    at: datetime
    limit_kw: float | None = Field(description="From `at` until the next step; null: no limit.")


class DeviationOut(Resource):
    start: datetime
    end: datetime
    requested_kw: float
    effective_kw: float


class ScheduleCheckOut(Resource):
    station_id: str
    evse_id: int
    start: datetime
    end: datetime
    tolerance_kw: float
    transaction_id: int | None
    managed: bool = Field(description="Whether smart charging has a profile in force here.")
    requested: list[StepOut] = Field(description="What smart charging's profiles ask for.")
    effective: list[StepOut] = Field(description="The station's composite schedule.")
    deviations: list[DeviationOut]
