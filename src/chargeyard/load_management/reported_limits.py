"""Charging limits stations report (OCPP 2.0.1 NotifyChargingLimit: an EMS, the grid
operator, a local controller) and the ChargingStationExternalConstraints profiles read back from
them, as constraints of the plan. Pure.

A station under an external limit draws no more than it, whatever its profiles say; planned
beside it, smart charging would hold power there that nobody takes while other sessions wait.
So the limit in force now of each reported schedule becomes a limit of the plan, the same way
an operator's power limit does (`operator_limits.with_operator_limits`): on the station (EVSE 0
or none) or on one EVSE. A limit reported without a schedule says only that one exists: it
constrains nothing we could read (the read of the station's external constraints that it starts
may find the profile behind it). Cleared limits (ClearedChargingLimit) are not read at all.

Of a station's external-constraints profiles on one place, the one with the highest stack level
in force now counts (OCPP's rule for profiles of one purpose), within `valid_from`/`valid_to`;
a Recurring one repeats from its `start_schedule` every day or week; an Absolute one without
`start_schedule` counts from when it was read. A Relative one counts from the start OCPP gives
it, "a situation-specific start point (such as the start of a transaction) determined by the
station": on an EVSE, from the start of the session running there (none: from now, as a
session starting now would see it); on the station (EVSE 0), from each of its running
sessions' starts, the lowest of those limits counting (from now without a session). A
`start_schedule` the station reports on a Relative profile is the start it determined, and
wins.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chargeyard.charging_profiles.domain import LimitUnit
from chargeyard.load_management.operator_limits import OperatorLimit

REPORTED_STACK_LEVEL = -1
"""Below every operator limit's: the order only names the circuits, all limits apply."""
RECURRENCE_S = {"Daily": 86_400, "Weekly": 7 * 86_400}


@dataclass(frozen=True)
class ReportedLimit:
    """One uncleared NotifyChargingLimit or external-constraints profile read back, as stored
    (schedules in snake_case, as received)."""

    station_id: str
    evse_id: int | None
    schedules: tuple[Mapping[str, Any], ...]
    reported_at: datetime
    profile: Mapping[str, Any] | None = None
    """The ChargingStationExternalConstraints profile the schedules belong to, when read back."""


def in_force(
    reported: Iterable[ReportedLimit],
    now: datetime,
    session_starts: Mapping[tuple[str, int], datetime] | None = None,
) -> list[OperatorLimit]:
    """The limit each reported schedule puts on its station or EVSE at `now`;
    `session_starts`: when the session running on each (station, EVSE) started (where a
    Relative profile's periods count from)."""
    found = []
    profiles: dict[tuple[str, int], list[tuple[int, OperatorLimit]]] = {}
    for limit in reported:
        valid = limit.profile is None or _valid(limit.profile, now)
        for schedule in limit.schedules if valid else ():
            if _relative(limit.profile) and schedule.get("start_schedule") is None:
                starts = _relative_starts(limit, session_starts or {}, now)
            else:
                start = _start(schedule, limit.profile, limit.reported_at, now)
                starts = [] if start is None else [start]
            values = [v for v in (_value_at(schedule, at, now) for at in starts) if v is not None]
            if not values:
                continue
            value = min(values, key=lambda v: v[0])
            amount, unit, ends = value
            item = OperatorLimit(
                station_id=limit.station_id,
                evse_id=limit.evse_id or 0,
                transaction_id=None,
                stack_level=REPORTED_STACK_LEVEL,
                limit=amount,
                unit=unit,
                ends=ends,
            )
            if limit.profile is None:
                found.append(item)
            else:
                level = int(limit.profile.get("stack_level") or 0)
                profiles.setdefault((item.station_id, item.evse_id), []).append((level, item))
    for candidates in profiles.values():
        top = max(level for level, _item in candidates)
        found += [item for level, item in candidates if level == top]
    return found


def _valid(profile: Mapping[str, Any], now: datetime) -> bool:
    valid_from, valid_to = _instant(profile.get("valid_from")), _instant(profile.get("valid_to"))
    return (valid_from is None or now >= valid_from) and (valid_to is None or now < valid_to)


def _relative(profile: Mapping[str, Any] | None) -> bool:
    return profile is not None and profile.get("charging_profile_kind") == "Relative"


def _relative_starts(
    limit: ReportedLimit, session_starts: Mapping[tuple[str, int], datetime], now: datetime
) -> list[datetime]:
    """Where a Relative profile's periods count from: the start of the session on its EVSE,
    or of each session on its station (EVSE 0); now where none runs."""
    evse_id = limit.evse_id or 0
    if evse_id:
        found = [at for key, at in session_starts.items() if key == (limit.station_id, evse_id)]
    else:
        found = [
            at for (station_id, _n), at in session_starts.items() if station_id == limit.station_id
        ]
    return sorted(found) or [now]


def _start(
    schedule: Mapping[str, Any],
    profile: Mapping[str, Any] | None,
    reported_at: datetime,
    now: datetime,
) -> datetime | None:
    """When the schedule's periods count from at `now`: its `start_schedule`, else when it was
    reported or read; a Recurring profile's latest repetition (None before its first)."""
    kind = None if profile is None else profile.get("charging_profile_kind")
    start = _instant(schedule.get("start_schedule"))
    if start is None:
        return reported_at
    if kind == "Relative":  # the start the station determined and reported
        return start
    if kind != "Recurring":
        return start
    period = RECURRENCE_S.get(str(profile.get("recurrency_kind") if profile else None))
    if period is None or now < start:
        return None
    return start + timedelta(seconds=period * ((now - start).total_seconds() // period))


def _value_at(
    schedule: Mapping[str, Any], start: datetime, now: datetime
) -> tuple[float, LimitUnit, datetime | None] | None:
    """(limit in kW or A, unit, when the period ends) at `now`, the periods counted from
    `start`; None outside the schedule. A schedule without `start_schedule` runs from when it
    was reported (a station reports the limit it applies from then on)."""
    periods = sorted(
        schedule.get("charging_schedule_period") or (), key=lambda p: int(p["start_period"])
    )
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
