"""Smart charging's delivery rules as pure values: what a station should have in force (a
`Target`), how it becomes a charging profile in W or A, when it changed, and in which order
changes go out so that the sum of limits never passes a circuit's limit while they travel.

Also the small rules that turn operator data into optimizer inputs (energy need, departure).
No I/O: the controller and the delivery module do that.
"""

import math
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum

from chargeyard.charging_profiles.domain import (
    ChargingProfile,
    Kind,
    Period,
    Purpose,
    RateUnit,
    Schedule,
)
from chargeyard.smart_charging.electrical import PHASE_FACTOR, ElectricalSpec, Supply

SMART_PROFILE_ID_BASE = 700_000_000
SMART_STACK_LEVEL = 1
"""Above the stack level 0 of /power-limit's Tx and TxDefault profiles, so smart charging wins
over them; a ChargePointMaxProfile set there still caps the station."""
_PURPOSE_SLOT = {Purpose.TX_DEFAULT: 2, Purpose.TX: 3}


class DeliveryStatus(StrEnum):
    DELIVERED = "delivered"
    REJECTED = "rejected"
    FAILED = "failed"


@dataclass(frozen=True)
class Wiring:
    """An EVSE's electrical data as delivery needs it (kW <-> A)."""

    spec: ElectricalSpec
    max_power_kw: float
    min_power_kw: float = 0.0
    power_step_kw: float = 0.0
    bidirectional: bool = False

    @property
    def phases(self) -> int:
        return 1 if self.spec.supply is Supply.AC_SINGLE_PHASE else 3


AC_22KW = Wiring(ElectricalSpec(Supply.AC_THREE_PHASE_LN, 230.0), 22.08, min_power_kw=4.14)
"""What an EVSE is assumed to be until its wiring is set: 3 x 32 A at 230 V, 6 A minimum."""


def ac_minimum_kw(spec: ElectricalSpec) -> float:
    """IEC 61851-1: an AC EVSE cannot signal less than 6 A (it pauses instead)."""
    if spec.supply is Supply.DC:
        return 0.0
    return 6.0 * PHASE_FACTOR[spec.supply] * spec.power_factor * spec.voltage_v / 1000.0


@dataclass(frozen=True)
class Target:
    """A limit smart charging wants in force at one place of one station.

    `limits_kw` holds one value per slot of `slot_s` seconds from `start` (a fleet schedule), or
    a single value (load sharing: in force until changed, no start needed).
    """

    circuit_id: str
    station_id: str
    evse_id: int
    purpose: Purpose
    limits_kw: tuple[float, ...]
    wiring: Wiring
    transaction_id: int | None = None
    ocpp_transaction_id: str | None = None
    start: datetime | None = None
    slot_s: int | None = None

    @property
    def key(self) -> tuple[str, int, Purpose]:
        return (self.station_id, self.evse_id, self.purpose)

    @property
    def first_kw(self) -> float:
        return self.limits_kw[0]

    def fingerprint(self) -> tuple[object, ...]:
        rounded = tuple(round(v, 2) for v in self.limits_kw)
        return (rounded, self.start, self.slot_s, self.transaction_id)


def profile_id(purpose: Purpose, evse_id: int) -> int:
    """Stable per EVSE and purpose: a new profile replaces the previous one on the station."""
    return SMART_PROFILE_ID_BASE + _PURPOSE_SLOT[purpose] * 1_000_000 + evse_id


def to_rate(power_kw: float, unit: RateUnit, wiring: Wiring) -> Decimal:
    """A power as a profile limit, rounded down (never above the allocation): W, or A per
    phase to 0.1 A. Negative is a discharge (V2G), rounded down too: never less of it."""
    if unit is RateUnit.WATTS:
        return Decimal(math.floor(power_kw * 1000.0 + 1e-6))
    amps = power_kw * wiring.spec.amps_per_kw
    return Decimal(math.floor(amps * 10.0 + 1e-6)) / 10


def from_rate(limit: Decimal, unit: RateUnit, wiring: Wiring) -> float:
    if unit is RateUnit.WATTS:
        return float(limit) / 1000.0
    return float(limit) / wiring.spec.amps_per_kw


def charging_profile(target: Target, unit: RateUnit) -> ChargingProfile:
    """The profile that puts `target` in force: Relative when it is a single value (no clock
    on either side matters), Absolute from `start` for a schedule."""
    phases = target.wiring.phases if unit is RateUnit.AMPS else None
    step = target.slot_s or 0
    periods: list[Period] = []
    for index, value in enumerate(target.limits_kw):
        limit = to_rate(value, unit, target.wiring)
        if periods and periods[-1].limit == limit:
            continue
        periods.append(Period(index * step, limit, phases))
    schedule_kind = Kind.ABSOLUTE if target.start is not None else Kind.RELATIVE
    duration = step * len(target.limits_kw) if target.start is not None else None
    return ChargingProfile(
        id=profile_id(target.purpose, target.evse_id),
        purpose=target.purpose,
        kind=schedule_kind,
        stack_level=SMART_STACK_LEVEL,
        transaction_id=target.transaction_id,
        schedule=Schedule(
            unit=unit, periods=tuple(periods), duration_s=duration, start=target.start
        ),
    )


def other_unit(unit: RateUnit) -> RateUnit:
    return RateUnit.AMPS if unit is RateUnit.WATTS else RateUnit.WATTS


@dataclass(frozen=True)
class InForceLimit:
    """What a place may have in force: `limits_kw[i]` from `start + i * slot_s` (a fleet
    schedule: before its start its first value, past its end its last, the conservative reading
    of what a station does then) or a single value in force until changed (`start` None); and
    at least `at_least_kw` (a higher limit sent there whose answer never came)."""

    limits_kw: tuple[float, ...]
    start: datetime | None = None
    slot_s: int | None = None
    at_least_kw: float = 0.0

    def over(self, begin: datetime, end: datetime | None) -> tuple[float, float]:
        """The lowest and highest it is in [begin, end) (end None: from `begin` on)."""
        if self.start is None or not self.slot_s:
            values = self.limits_kw
        else:
            last = len(self.limits_kw) - 1
            first = int((begin - self.start).total_seconds() // self.slot_s)
            final = (
                last
                if end is None
                else -int(-(end - self.start).total_seconds() // self.slot_s) - 1
            )
            values = self.limits_kw[min(max(first, 0), last) : min(max(final, 0), last) + 1]
            values = values or (self.limits_kw[min(max(first, 0), last)],)
        return max(min(values), self.at_least_kw), max(max(values), self.at_least_kw)


def _spans(target: Target, now: datetime) -> list[tuple[datetime, datetime | None]]:
    """Each of the target's values' span from `now` on (a value whose slot is over: none)."""
    if target.start is None or not target.slot_s:
        return [(now, None)]
    step = timedelta(seconds=target.slot_s)
    spans: list[tuple[datetime, datetime | None]] = []
    for k in range(len(target.limits_kw)):
        begins, ends = target.start + k * step, target.start + (k + 1) * step
        spans.append((max(begins, now), ends))
    return spans


def _imports(span: tuple[float, float]) -> tuple[float, float]:
    low, high = span
    return max(low, 0.0), max(high, 0.0)


def ordered_changes(
    changes: list[Target], in_force: dict[tuple[str, int, Purpose], InForceLimit], now: datetime
) -> tuple[list[Target], list[Target]]:
    """Changes split into those sent and answered first, which lower what each place may have
    at every instant from `now` on, and the raises, sent only then.

    Fleet targets are schedules: what a place has in force now is its old schedule's value now,
    not its first (a schedule planned in an earlier slot has moved on), and a new schedule may
    be lower than the old one in some slots and higher in others. Such a change goes out twice:
    first at the lower of old and new in every slot (a decrease), then as planned (a raise).
    Compared by first values, a raise from the 0 kW a slot now gave a session went out with
    the decreases, beside the other session's fall from the whole circuit (16.5 kW on 11 in
    `test_fleet_schedules_come_down_before_any_goes_up_at_every_instant`).
    """
    first: list[Target] = []
    rest: list[Target] = []
    for target in changes:
        old = in_force.get(target.key)
        if old is None:  # nothing there to exceed: a new place counts as its target
            first.append(target)
            continue
        spans = _spans(target, now)
        # Compared as imports: a discharge (negative) is 0, what a station that ignores it
        # draws, so a change between discharges neither lowers nor raises the circuit's sum.
        ranges = [_imports(old.over(begin, end)) for begin, end in spans]
        new = tuple(max(v, 0.0) for v in target.limits_kw)
        live = [end is None or end > begin for begin, end in spans]
        if all(v <= low + 1e-9 for v, (low, _), on in zip(new, ranges, live, strict=True) if on):
            first.append(target)
        elif all(
            v >= high - 1e-9 for v, (_, high), on in zip(new, ranges, live, strict=True) if on
        ):
            rest.append(target)
        else:
            floor = tuple(
                min(v, low) if on else v
                for v, (low, _), on in zip(target.limits_kw, ranges, live, strict=True)
            )
            first.append(replace(target, limits_kw=floor))
            rest.append(target)
    return first, rest


# --- operator data to optimizer inputs ---------------------------------------------------


def parse_departure(value: str) -> time:
    """ "HH:MM" (24 h) as a time of day; ValueError otherwise."""
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def next_departure(departure: str, after: datetime) -> datetime:
    """The first occurrence of the time of day `departure` (UTC) after `after`."""
    at = parse_departure(departure)
    candidate = after.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate > after else candidate + timedelta(days=1)


def energy_need_kwh(
    *,
    energy_kwh: float | None,
    battery_kwh: float | None,
    soc_percent: float | None,
    target_soc_percent: float | None,
    live_soc_percent: float | None,
    delivered_kwh: float,
) -> float | None:
    """Energy still to deliver: an explicit amount less what was delivered; else from the state
    of charge (the live one from meter values first, else the one set, less what was delivered
    since); None when unknown."""
    if energy_kwh is not None:
        return max(0.0, energy_kwh - delivered_kwh)
    if battery_kwh is None:
        return None
    target = 100.0 if target_soc_percent is None else target_soc_percent
    if live_soc_percent is not None:
        return max(0.0, (target - live_soc_percent) / 100.0 * battery_kwh)
    if soc_percent is not None:
        return max(0.0, (target - soc_percent) / 100.0 * battery_kwh - delivered_kwh)
    return None


@dataclass(frozen=True)
class SeriesFilter:
    """Which results and sent profiles a time-series listing returns (None: any)."""

    circuit_id: str | None = None
    station_id: str | None = None
    transaction_id: int | None = None
    since: datetime | None = None
