"""Charging limits stations report (OCPP 2.0.1 NotifyChargingLimit: an EMS, the grid
operator, a local controller) as constraints of the plan. Pure.

A station under an external limit draws no more than it, whatever its profiles say; planned
beside it, smart charging would hold power there that nobody takes while other sessions wait.
So the limit in force now of each reported schedule becomes a limit of the plan, the same way
an operator's power limit does (`operator_limits.with_operator_limits`): on the station (EVSE 0
or none) or on one EVSE. A limit reported without a schedule says only that one exists: it
constrains nothing we could read. Cleared limits (ClearedChargingLimit) are not read at all.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chargeyard.charging_profiles.domain import LimitUnit
from chargeyard.load_management.operator_limits import OperatorLimit

REPORTED_STACK_LEVEL = -1
"""Below every operator limit's: the order only names the circuits, all limits apply."""


@dataclass(frozen=True)
class ReportedLimit:
    """One uncleared NotifyChargingLimit as stored (schedules in snake_case, as received)."""

    station_id: str
    evse_id: int | None
    schedules: tuple[Mapping[str, Any], ...]
    reported_at: datetime


def in_force(reported: Iterable[ReportedLimit], now: datetime) -> list[OperatorLimit]:
    """The limit each reported schedule puts on its station or EVSE at `now`."""
    found = []
    for limit in reported:
        for schedule in limit.schedules:
            value = _value_at(schedule, limit.reported_at, now)
            if value is None:
                continue
            amount, unit, ends = value
            found.append(
                OperatorLimit(
                    station_id=limit.station_id,
                    evse_id=limit.evse_id or 0,
                    transaction_id=None,
                    stack_level=REPORTED_STACK_LEVEL,
                    limit=amount,
                    unit=unit,
                    ends=ends,
                )
            )
    return found


def _value_at(
    schedule: Mapping[str, Any], reported_at: datetime, now: datetime
) -> tuple[float, LimitUnit, datetime | None] | None:
    """(limit in kW or A, unit, when the period ends) at `now`; None outside the schedule.

    Without `start_schedule` a schedule runs from when it was reported (a station reports the
    limit it applies from then on)."""
    periods = sorted(
        schedule.get("charging_schedule_period") or (), key=lambda p: int(p["start_period"])
    )
    start = _instant(schedule.get("start_schedule")) or reported_at
    elapsed = (now - start).total_seconds()
    duration = schedule.get("duration")
    if not periods or elapsed < int(periods[0]["start_period"]):
        return None
    if duration is not None and elapsed >= int(duration):
        return None
    current = [p for p in periods if int(p["start_period"]) <= elapsed][-1]
    following = [int(p["start_period"]) for p in periods if int(p["start_period"]) > elapsed]
    ends_s = following[0] if following else duration
    ends = None if ends_s is None else start + timedelta(seconds=int(ends_s))
    in_watts = str(schedule.get("charging_rate_unit", "W")).upper() == "W"
    limit = float(current["limit"])
    if in_watts:
        return limit / 1000.0, LimitUnit.KW, ends
    return limit, LimitUnit.A, ends


def _instant(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
