"""Request and response bodies of the control loop's API: what-if and optimize plans, the
allocations and profiles it made, and schedule checks."""

from datetime import datetime
from typing import Any

from pydantic import Field

from chargeyard.api.schemas import Input, Resource
from chargeyard.smart_charging.snapshot import Objective


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
