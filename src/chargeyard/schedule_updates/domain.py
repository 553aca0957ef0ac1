"""What limit a charging profile Chargeyard installed on a station imposes at a given instant:
the answer to a station pulling a schedule update (OCPP 2.1 PullDynamicScheduleUpdate).

A profile is known from its history on the station: installed when the station accepted it,
gone when a later accepted clear covers it. Its limit now is the schedule period in force now.
Pure values and rules.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from chargeyard.charging_profiles.domain import ChargingProfile, Kind, Purpose, RateUnit, Recurrency

_RECURRENCE = {Recurrency.DAILY: timedelta(days=1), Recurrency.WEEKLY: timedelta(days=7)}


@dataclass(frozen=True)
class Installed:
    """A profile the station accepted at `at`."""

    profile: ChargingProfile
    evse_id: int
    at: datetime


@dataclass(frozen=True)
class Cleared:
    """A clear the station accepted: by id, or by criteria (absent ones match anything)."""

    at: datetime
    profile_id: int | None = None
    evse_id: int | None = None
    purpose: Purpose | None = None
    stack_level: int | None = None

    def removes(self, installed: Installed) -> bool:
        if self.profile_id is not None:
            return self.profile_id == installed.profile.id
        profile = installed.profile
        return (
            self.evse_id in (None, installed.evse_id)
            and self.purpose in (None, profile.purpose)
            and self.stack_level in (None, profile.stack_level)
        )


ProfileChange = Installed | Cleared


@dataclass(frozen=True)
class LimitInForce:
    limit: Decimal
    unit: RateUnit
    number_phases: int | None = None


def installed_profile(history: Iterable[ProfileChange], profile_id: int) -> Installed | None:
    """The profile with that id on the station after `history` (oldest first), if any."""
    current = None
    for change in history:
        if isinstance(change, Installed):
            current = change if change.profile.id == profile_id else current
        elif current is not None and change.removes(current):
            current = None
    return current


def limit_in_force(installed: Installed, at: datetime) -> LimitInForce | None:
    """The limit of the period in force at `at`; None outside validity or the schedule.

    A Relative schedule (and an Absolute one without a start) is taken to run from when the
    station accepted the profile, which is when the station started applying it.
    """
    profile = installed.profile
    if profile.valid_from is not None and at < profile.valid_from:
        return None
    if profile.valid_to is not None and at >= profile.valid_to:
        return None
    schedule = profile.schedule
    elapsed = (at - _start(profile, installed.at, at)).total_seconds()
    if elapsed < 0 or (schedule.duration_s is not None and elapsed >= schedule.duration_s):
        return None
    period = [p for p in schedule.periods if p.start_offset_s <= elapsed][-1]
    return LimitInForce(period.limit, schedule.unit, period.number_phases)


def _start(profile: ChargingProfile, installed_at: datetime, at: datetime) -> datetime:
    start = profile.schedule.start
    if start is None or profile.kind is Kind.RELATIVE:
        return installed_at
    if profile.kind is Kind.RECURRING and profile.recurrency is not None and at >= start:
        cycle = _RECURRENCE[profile.recurrency]
        return start + cycle * ((at - start) // cycle)
    return start
