"""Conversions between the simulator's domain values and OCPP 1.6 payload shapes.

The `ocpp` library hands nested fields over as plain dicts with snake_case keys (and
schedule limits as `Decimal`); they are parsed into typed values here, once, so nothing
past this module sees a raw payload.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ocpp.v16 import datatypes
from ocpp.v16.enums import (
    ChargingRateUnitType,
    Location,
    Measurand,
    Phase,
    ReadingContext,
    UnitOfMeasure,
)

from chargeyard.simulator.charging_profile import (
    ChargingProfile,
    ChargingSchedule,
    ProfileKind,
    ProfilePurpose,
    RateUnit,
    Recurrency,
    SchedulePeriod,
)
from chargeyard.simulator.connector import TransactionId
from chargeyard.simulator.meter_reading import MeterReading

_PHASES = (Phase.l1, Phase.l2, Phase.l3)
_PHASE_VOLTAGES = (Phase.l1_n, Phase.l2_n, Phase.l3_n)


def timestamp(at: datetime) -> str:
    """ISO 8601 in UTC with a Z, the form every CSMS parses."""
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_timestamp(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def meter_value(
    reading: MeterReading, measurands: Collection[str], context: ReadingContext
) -> datatypes.MeterValue:
    """One MeterValue with the sampled values the station is configured to send."""

    def sample(
        measurand: Measurand,
        value: str,
        unit: UnitOfMeasure,
        phase: Phase | None = None,
        location: Location | None = None,
    ) -> datatypes.SampledValue:
        return datatypes.SampledValue(
            value=value,
            context=context,
            measurand=measurand,
            phase=phase,
            location=location,
            unit=unit,
        )

    samples: list[datatypes.SampledValue] = []
    if Measurand.energy_active_import_register in measurands:
        samples.append(
            sample(
                Measurand.energy_active_import_register,
                str(reading.energy_wh),
                UnitOfMeasure.wh,
                location=Location.outlet,
            )
        )
    if Measurand.power_active_import in measurands:
        samples.append(
            sample(Measurand.power_active_import, f"{reading.power_w:.1f}", UnitOfMeasure.w)
        )
    if Measurand.current_import in measurands:
        samples.extend(
            sample(Measurand.current_import, f"{amps:.2f}", UnitOfMeasure.a, phase=phase)
            for phase, amps in zip(_PHASES, reading.current_a, strict=False)
        )
    if Measurand.voltage in measurands:
        samples.extend(
            sample(Measurand.voltage, f"{reading.voltage_v:.1f}", UnitOfMeasure.v, phase=phase)
            for phase in _PHASE_VOLTAGES[: len(reading.current_a)]
        )
    if Measurand.soc in measurands and reading.soc_percent is not None:
        samples.append(
            sample(
                Measurand.soc, str(reading.soc_percent), UnitOfMeasure.percent, location=Location.ev
            )
        )
    return datatypes.MeterValue(timestamp=timestamp(reading.timestamp), sampled_value=samples)


def charging_profile(payload: Mapping[str, Any], received_at: datetime) -> ChargingProfile:
    """Parse a csChargingProfiles payload; ValueError if it is malformed.

    An Absolute schedule without a start time starts when the station received it.
    """
    try:
        return _charging_profile(payload, received_at)
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"malformed charging profile: {error!r}") from error


def _charging_profile(payload: Mapping[str, Any], received_at: datetime) -> ChargingProfile:
    schedule = payload["charging_schedule"]
    kind = ProfileKind(payload["charging_profile_kind"])
    start = _optional_time(schedule.get("start_schedule"))
    if start is None and kind is ProfileKind.ABSOLUTE:
        start = received_at
    periods = tuple(
        SchedulePeriod(
            start_s=int(period["start_period"]),
            limit=float(period["limit"]),
            phases=period.get("number_phases"),
        )
        for period in sorted(schedule["charging_schedule_period"], key=lambda p: p["start_period"])
    )
    transaction_id = payload.get("transaction_id")
    recurrency = payload.get("recurrency_kind")
    min_rate = schedule.get("min_charging_rate")
    return ChargingProfile(
        profile_id=int(payload["charging_profile_id"]),
        stack_level=int(payload["stack_level"]),
        purpose=ProfilePurpose(payload["charging_profile_purpose"]),
        kind=kind,
        schedule=ChargingSchedule(
            unit=RateUnit(schedule["charging_rate_unit"]),
            periods=periods,
            duration_s=schedule.get("duration"),
            start=start,
            min_rate=None if min_rate is None else float(min_rate),
        ),
        transaction_id=None if transaction_id is None else TransactionId(str(transaction_id)),
        recurrency=None if recurrency is None else Recurrency(recurrency),
        valid_from=_optional_time(payload.get("valid_from")),
        valid_to=_optional_time(payload.get("valid_to")),
    )


def charging_schedule(
    periods: Sequence[SchedulePeriod], unit: RateUnit, start: datetime, duration_s: int
) -> datatypes.ChargingSchedule:
    """A GetCompositeSchedule answer's schedule."""
    return datatypes.ChargingSchedule(
        charging_rate_unit=ChargingRateUnitType(unit.value),
        charging_schedule_period=[
            datatypes.ChargingSchedulePeriod(
                start_period=period.start_s, limit=period.limit, number_phases=period.phases
            )
            for period in periods
        ],
        duration=duration_s,
        start_schedule=timestamp(start),
    )


def authorization_list(entries: Sequence[Mapping[str, Any]]) -> dict[str, str | None]:
    """SendLocalList entries as id tag → status; None marks a tag to remove."""
    return {entry["id_tag"]: (entry.get("id_tag_info") or {}).get("status") for entry in entries}


def _optional_time(text: str | None) -> datetime | None:
    return None if text is None else parse_timestamp(text)
