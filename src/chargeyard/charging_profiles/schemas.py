"""Charging profile and power limit request bodies, and their conversion to domain values.

Only shapes and types are checked here; the rules (stack level, purposes, period order, limits)
are `domain.problems`, so every caller gets the same answer.
"""

from datetime import datetime
from decimal import Decimal

from pydantic import ConfigDict, Field, field_validator

from chargeyard.api.schemas import Input
from chargeyard.charging_profiles.domain import (
    ChargingProfile,
    Kind,
    LimitUnit,
    Period,
    PowerLimit,
    Purpose,
    RateUnit,
    Recurrency,
    ReportedPurpose,
    Schedule,
)


class PeriodIn(Input):
    start_offset_s: int = Field(description="Seconds from the schedule's start.")
    limit: Decimal = Field(description="In the schedule's unit (W or A).")
    number_phases: int | None = None


class ScheduleIn(Input):
    unit: RateUnit
    periods: list[PeriodIn]
    duration_s: int | None = None
    start: datetime | None = Field(None, description="Absolute and Recurring profiles only.")
    min_rate: Decimal | None = None


class ChargingProfileIn(Input):
    id: int
    purpose: Purpose = Field(
        description="ChargingStationExternalConstraints is not sent: only the station's "
        "external system sets it (OCPP 2.x); read it with get-charging-profiles."
    )
    kind: Kind = Kind.ABSOLUTE
    schedule: ScheduleIn
    stack_level: int = 0
    recurrency: Recurrency | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    transaction_id: int | None = Field(None, description="TxProfile: the transaction's id.")

    @field_validator("purpose", mode="before")
    @classmethod
    def _not_external(cls, value: object) -> object:
        if value == ReportedPurpose.EXTERNAL_CONSTRAINTS:
            raise ValueError(
                "a ChargingStationExternalConstraints profile is set by the station's external "
                "system, never by the CSMS (OCPP 2.0.1 K01); read it with get-charging-profiles"
            )
        return value

    def to_domain(self) -> ChargingProfile:
        schedule = self.schedule
        return ChargingProfile(
            id=self.id,
            purpose=self.purpose,
            kind=self.kind,
            stack_level=self.stack_level,
            recurrency=self.recurrency,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            transaction_id=self.transaction_id,
            schedule=Schedule(
                unit=schedule.unit,
                duration_s=schedule.duration_s,
                start=schedule.start,
                min_rate=schedule.min_rate,
                periods=tuple(
                    Period(p.start_offset_s, p.limit, p.number_phases) for p in schedule.periods
                ),
            ),
        )


class PowerLimitTarget(Input):
    """What a power limit applies to: the whole station, an EVSE or a session (and its stack
    level). Removing a limit names the same."""

    evse_id: int = Field(0, description="0 (or absent): the whole station.")
    transaction_id: int | None = None
    stack_level: int = 0


class PowerLimitIn(PowerLimitTarget):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"limit": "11", "unit": "kW", "evse_id": 1}]}
    )

    limit: Decimal = Field(description="In kW or A, as `unit` says.")
    unit: LimitUnit = LimitUnit.KW
    duration_s: int | None = None
    start_delay_s: int | None = Field(None, description="Seconds after charging starts.")

    def to_domain(self, evse_id: int) -> PowerLimit:
        return PowerLimit(
            limit=self.limit,
            unit=self.unit,
            evse_id=evse_id,
            transaction_id=self.transaction_id,
            stack_level=self.stack_level,
            duration_s=self.duration_s,
            start_delay_s=self.start_delay_s,
        )
