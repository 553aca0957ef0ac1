"""The limit smart charging requested at an EVSE against the one its station applies, as step
series in kW over a window, and the time ranges where they differ. Pure.

Requested: what the profiles Chargeyard has in force there give at each instant (a session's
TxProfile, else the EVSE's TxDefaultProfile, else the station-wide one). Effective: the
station's composite schedule (GetCompositeSchedule), which also holds what Chargeyard did not
send (an operator's ChargePointMaxProfile, the hardware's own maximum).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from chargeyard.charging_profiles.domain import RateUnit
from chargeyard.load_management.domain import Wiring, from_rate
from chargeyard.schedule_updates.domain import Installed, limit_in_force


@dataclass(frozen=True)
class Step:
    """From `at` on (until the next step), the limit in kW; None: no limit."""

    at: datetime
    limit_kw: float | None


@dataclass(frozen=True)
class Deviation:
    start: datetime
    end: datetime
    requested_kw: float
    effective_kw: float


def requested_steps(
    installed: Sequence[Installed], start: datetime, end: datetime, wiring: Wiring
) -> list[Step]:
    """`installed` in order of precedence; the first with a period in force decides."""
    instants = {start} | {at for item in installed for at in _boundaries(item) if start < at < end}
    steps: list[Step] = []
    for at in sorted(instants):
        kw = None
        for item in installed:
            limit = limit_in_force(item, at)
            if limit is not None:
                kw = round(from_rate(limit.limit, limit.unit, wiring), 3)
                break
        if not steps or steps[-1].limit_kw != kw:
            steps.append(Step(at, kw))
    return steps


def effective_steps(response: dict[str, Any], asked_at: datetime, wiring: Wiring) -> list[Step]:
    """A GetCompositeSchedule answer (snake_case) as steps: 1.6 carries `charging_schedule`
    and `schedule_start`, 2.x a `schedule` with its own `schedule_start`."""
    schedule = response.get("schedule") or response.get("charging_schedule") or {}
    text = (
        schedule.get("schedule_start")
        or response.get("schedule_start")
        or schedule.get("start_schedule")
    )
    start = asked_at if not text else datetime.fromisoformat(str(text))
    unit = RateUnit(schedule.get("charging_rate_unit") or RateUnit.WATTS.value)
    steps = []
    for period in schedule.get("charging_schedule_period") or []:
        kw = from_rate(Decimal(str(period["limit"])), unit, wiring)
        steps.append(Step(start + timedelta(seconds=int(period["start_period"])), round(kw, 3)))
    return steps


def deviations(
    requested: Sequence[Step],
    effective: Sequence[Step],
    start: datetime,
    end: datetime,
    tolerance_kw: float,
    unlimited_kw: float | None = None,
) -> list[Deviation]:
    """Ranges within [start, end) where a limit was requested and the station's differs beyond
    the tolerance. Where the station sets none (an empty composite schedule: it applies
    nothing), it is taken to allow `unlimited_kw` (the EVSE's maximum) when that is given."""
    instants = sorted({start} | {s.at for s in (*requested, *effective) if start < s.at < end})
    found: list[Deviation] = []
    for index, at in enumerate(instants):
        until = instants[index + 1] if index + 1 < len(instants) else end
        wanted, applied = value_at(requested, at), value_at(effective, at)
        if applied is None:
            applied = unlimited_kw
        if wanted is None or applied is None or abs(applied - wanted) <= tolerance_kw:
            continue
        last = found[-1] if found else None
        if last and last.end == at and (last.requested_kw, last.effective_kw) == (wanted, applied):
            found[-1] = Deviation(last.start, until, wanted, applied)
        else:
            found.append(Deviation(at, until, wanted, applied))
    return found


def value_at(steps: Iterable[Step], at: datetime) -> float | None:
    value = None
    for step in steps:
        if step.at > at:
            break
        value = step.limit_kw
    return value


def _boundaries(item: Installed) -> list[datetime]:
    """Instants where a profile's limit may change: its periods' starts, its end, validity."""
    profile = item.profile
    schedule = profile.schedule
    found = [t for t in (profile.valid_from, profile.valid_to) if t is not None]
    origin = schedule.start if schedule.start is not None else item.at
    found += [origin + timedelta(seconds=p.start_offset_s) for p in schedule.periods]
    if schedule.duration_s is not None:
        found.append(origin + timedelta(seconds=schedule.duration_s))
    return found
