"""Charging profiles as values, the rules a profile must meet, and power limits → profiles.

Protocol-free: the vocabulary is OCPP 1.6's (which 2.0.1 keeps, renaming ChargePointMax to
ChargingStationMax), and each adapter renders it. Everything here is a pure function, so a
profile is checked completely before anything is sent to a station.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise


class Purpose(StrEnum):
    CHARGE_POINT_MAX = "ChargePointMaxProfile"
    TX_DEFAULT = "TxDefaultProfile"
    TX = "TxProfile"


class ReportedPurpose(StrEnum):
    """What a CSMS may ask an OCPP 2.x station to report (GetChargingProfiles): the purposes it
    sets, and ChargingStationExternalConstraints, the limits the station's external system (an
    EMS, the grid operator) set. A CSMS never sets those (OCPP 2.0.1 K01), so `Purpose`, what
    may be sent, lacks it."""

    CHARGE_POINT_MAX = "ChargePointMaxProfile"
    TX_DEFAULT = "TxDefaultProfile"
    TX = "TxProfile"
    EXTERNAL_CONSTRAINTS = "ChargingStationExternalConstraints"


class Kind(StrEnum):
    ABSOLUTE = "Absolute"
    RECURRING = "Recurring"
    RELATIVE = "Relative"


class Recurrency(StrEnum):
    DAILY = "Daily"
    WEEKLY = "Weekly"


class RateUnit(StrEnum):
    WATTS = "W"
    AMPS = "A"


@dataclass(frozen=True)
class Period:
    start_offset_s: int
    limit: Decimal
    number_phases: int | None = None


@dataclass(frozen=True)
class Schedule:
    unit: RateUnit
    periods: tuple[Period, ...]
    duration_s: int | None = None
    start: datetime | None = None
    min_rate: Decimal | None = None


@dataclass(frozen=True)
class ChargingProfile:
    """`transaction_id` is Chargeyard's transaction id (the one the transactions API shows)."""

    id: int
    purpose: Purpose
    kind: Kind
    schedule: Schedule
    stack_level: int = 0
    recurrency: Recurrency | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    transaction_id: int | None = None


@dataclass(frozen=True)
class Capability:
    """What an EVSE can deliver at most, where known."""

    max_power_w: Decimal | None = None
    max_current_a: Decimal | None = None


@dataclass(frozen=True)
class Target:
    """Where a profile is to be installed: `evse_id` 0 is the whole station.

    `transaction_evse` is the EVSE of the active transaction the profile names (None when the
    transaction is unknown or no longer active).
    """

    evse_id: int
    transaction_evse: int | None = None
    capability: Capability = field(default_factory=Capability)
    for_remote_start: bool = False


def problems(profile: ChargingProfile, target: Target) -> list[str]:
    """Everything wrong with installing `profile` at `target`; empty when it may be sent."""
    found = _purpose_problems(profile, target)
    found += _kind_problems(profile)
    found += _schedule_problems(profile.schedule, target.capability)
    if profile.stack_level < 0:
        found.append("stack_level must be 0 or more")
    if profile.id < 1:
        found.append("id must be a positive integer")
    if profile.valid_from and profile.valid_to and profile.valid_to <= profile.valid_from:
        found.append("valid_to must be after valid_from")
    return found


def _purpose_problems(profile: ChargingProfile, target: Target) -> list[str]:
    if target.evse_id < 0:
        return ["evse_id must be 0 (the station) or an EVSE number"]
    if profile.purpose is Purpose.CHARGE_POINT_MAX:
        if target.evse_id != 0:
            return ["a ChargePointMaxProfile applies to the whole station: use evse_id 0"]
        if profile.transaction_id is not None:
            return ["only a TxProfile names a transaction"]
        return []
    if profile.purpose is Purpose.TX_DEFAULT:
        return ["only a TxProfile names a transaction"] if profile.transaction_id else []
    if target.for_remote_start:
        if profile.transaction_id is not None:
            return ["a remote start's profile cannot name a transaction: it has none yet"]
        return []
    if profile.transaction_id is None:
        return ["a TxProfile needs transaction_id"]
    if target.transaction_evse is None:
        return [f"transaction {profile.transaction_id} is not active on this station"]
    if target.evse_id not in (target.transaction_evse,):
        return [f"transaction {profile.transaction_id} runs on EVSE {target.transaction_evse}"]
    return []


def _kind_problems(profile: ChargingProfile) -> list[str]:
    if profile.kind is Kind.RECURRING:
        found = (
            [] if profile.recurrency else ["a Recurring profile needs recurrency (Daily/Weekly)"]
        )
        if profile.schedule.start is None:
            found.append("a Recurring profile needs schedule.start")
        return found
    if profile.recurrency is not None:
        return ["recurrency is only for Recurring profiles"]
    if profile.kind is Kind.RELATIVE and profile.schedule.start is not None:
        return ["a Relative profile has no schedule.start"]
    return []


def _schedule_problems(schedule: Schedule, capability: Capability) -> list[str]:
    found: list[str] = []
    periods = schedule.periods
    if not periods:
        return ["schedule.periods must hold at least one period"]
    if periods[0].start_offset_s != 0:
        found.append("the first period must start at 0")
    offsets = [p.start_offset_s for p in periods]
    if any(b <= a for a, b in pairwise(offsets)):
        found.append("period start offsets must strictly ascend")
    if schedule.duration_s is not None and schedule.duration_s <= 0:
        found.append("schedule.duration_s must be positive")
    cap = capability.max_power_w if schedule.unit is RateUnit.WATTS else capability.max_current_a
    for index, period in enumerate(periods):
        where = f"periods[{index}]"
        if period.limit <= 0:
            found.append(f"{where}.limit must be greater than 0")
        elif cap is not None and period.limit > cap:
            found.append(f"{where}.limit {period.limit} {schedule.unit} exceeds the EVSE's {cap}")
        if period.number_phases is not None and period.number_phases not in (1, 2, 3):
            found.append(f"{where}.number_phases must be 1, 2 or 3")
    if schedule.min_rate is not None and schedule.min_rate < 0:
        found.append("schedule.min_rate must not be negative")
    return found


# --- power limits ------------------------------------------------------------------------------


class LimitUnit(StrEnum):
    KW = "kW"
    A = "A"


# Before a delayed limit takes effect the schedule must still say something: "no limit" is a
# value far above what any EVSE delivers (OCPP has no explicit "unlimited").
UNLIMITED = {RateUnit.WATTS: Decimal(10_000_000), RateUnit.AMPS: Decimal(10_000)}
_PURPOSE_SLOT = {Purpose.CHARGE_POINT_MAX: 1, Purpose.TX_DEFAULT: 2, Purpose.TX: 3}
POWER_LIMIT_ID_BASE = 900_000_000


@dataclass(frozen=True)
class PowerLimit:
    limit: Decimal
    unit: LimitUnit
    evse_id: int = 0
    transaction_id: int | None = None
    stack_level: int = 0
    duration_s: int | None = None
    start_delay_s: int | None = None


def limit_purpose(evse_id: int, transaction_id: int | None) -> Purpose:
    if transaction_id is not None:
        return Purpose.TX
    return Purpose.CHARGE_POINT_MAX if evse_id == 0 else Purpose.TX_DEFAULT


def power_limit_id(purpose: Purpose, evse_id: int, stack_level: int) -> int:
    """A stable id per (purpose, EVSE, stack level): setting a limit again replaces it, and
    clearing needs no stored state."""
    return POWER_LIMIT_ID_BASE + _PURPOSE_SLOT[purpose] * 1_000_000 + evse_id * 1000 + stack_level


def power_limit_profile(limit: PowerLimit, now: datetime) -> ChargingProfile:
    """The profile that enforces `limit`: ChargePointMax on the station, TxDefault on an EVSE,
    Tx for a transaction; kW become W. A start delay makes it Relative (to charging start)."""
    purpose = limit_purpose(limit.evse_id, limit.transaction_id)
    unit = RateUnit.WATTS if limit.unit is LimitUnit.KW else RateUnit.AMPS
    value = limit.limit * 1000 if limit.unit is LimitUnit.KW else limit.limit
    periods: tuple[Period, ...] = (Period(0, value),)
    relative = bool(limit.start_delay_s)
    if relative:
        periods = (Period(0, UNLIMITED[unit]), Period(limit.start_delay_s or 0, value))
    return ChargingProfile(
        id=power_limit_id(purpose, limit.evse_id, limit.stack_level),
        purpose=purpose,
        kind=Kind.RELATIVE if relative else Kind.ABSOLUTE,
        stack_level=limit.stack_level,
        transaction_id=limit.transaction_id,
        schedule=Schedule(
            unit=unit,
            periods=periods,
            duration_s=limit.duration_s,
            start=None if relative else now,
        ),
    )


def power_limit_problems(limit: PowerLimit) -> list[str]:
    found = [] if limit.limit > 0 else ["limit must be greater than 0"]
    if limit.start_delay_s is not None and limit.start_delay_s < 0:
        found.append("start_delay_s must not be negative")
    if limit.start_delay_s and limit.evse_id == 0 and limit.transaction_id is None:
        found.append("start_delay_s counts from charging start: give evse_id or transaction_id")
    if limit.duration_s is not None and limit.duration_s <= 0:
        found.append("duration_s must be positive")
    if not 0 <= limit.stack_level < 1000:
        found.append("stack_level must be between 0 and 999")
    return found
