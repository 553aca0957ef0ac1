"""A session's evidence: what the station reported, reduced to what a tariff prices.

Energy is a piecewise linear curve through the meter readings (Wh, never decreasing: a meter
that goes backwards adds nothing). The charging state is a timeline of changes; before the
first reported change the session is charging.
"""

import itertools
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from math import ceil


class ChargingState(StrEnum):
    CHARGING = "CHARGING"
    PARKED = "PARKED"


# OCPP statuses (1.6 StatusNotification, 2.0.1 TransactionEvent chargingState) and what they
# mean for a tariff. A pause the station decides (SuspendedEVSE: smart charging, a fault) is
# billed as charging time, never as parking: the driver did not cause it. Parking is an EV that
# is full or not taking energy while it holds the connector.
_STATES = {
    "Charging": ChargingState.CHARGING,
    "SuspendedEVSE": ChargingState.CHARGING,
    "SuspendedEV": ChargingState.PARKED,
    "Finishing": ChargingState.PARKED,
    "EVConnected": ChargingState.PARKED,
    "Idle": ChargingState.PARKED,
}


def state_of(ocpp_status: str | None) -> ChargingState | None:
    """The charging state an OCPP status or charging state means; None if it says nothing."""
    return None if ocpp_status is None else _STATES.get(ocpp_status)


@dataclass(frozen=True)
class MeterPoint:
    at: datetime
    wh: Fraction


@dataclass(frozen=True)
class StateChange:
    at: datetime
    state: ChargingState


@dataclass(frozen=True)
class Evidence:
    """`meter` is sorted by time, starts at `started_at` and ends at `ended_at`, and never
    decreases (see `meter_curve`). `timezone` is the location's IANA zone, in which time-of-day,
    day-of-week and date restrictions are read."""

    started_at: datetime
    ended_at: datetime
    meter: tuple[MeterPoint, ...]
    states: tuple[StateChange, ...] = ()
    timezone: str = "UTC"

    @cached_property
    def _times(self) -> list[datetime]:
        return [p.at for p in self.meter]

    def energy_at(self, at: datetime) -> Fraction:
        """Cumulative energy since the start at `at` (linear between readings)."""
        points = self.meter
        if not points or at <= points[0].at:
            return Fraction(0)
        base = points[0].wh
        index = bisect_left(self._times, at)
        if index >= len(points):
            return points[-1].wh - base
        before, after = points[index - 1], points[index]
        if after.at == at:
            return after.wh - base
        share = seconds(at - before.at) / seconds(after.at - before.at)
        return before.wh - base + (after.wh - before.wh) * share

    def time_reaching(self, wh: Fraction) -> datetime | None:
        """The first instant at which the cumulative energy reaches `wh` (None: never)."""
        points = self.meter
        if not points:
            return None
        base = points[0].wh
        if wh <= 0:
            return points[0].at
        for before, after in itertools.pairwise(points):
            low, high = before.wh - base, after.wh - base
            if low < wh <= high:
                share = (wh - low) / (high - low)
                # Up to the microsecond, never down: at the instant answered the energy has
                # reached `wh`, so a restriction on it reads as crossed from there on (rounded
                # down, a segment starting a hair early read it as not yet, for its whole length).
                micros = ceil(share * to_micros(after.at - before.at))
                return before.at + timedelta(microseconds=micros)
        return None

    def energy_began(self) -> datetime | None:
        """The instant after which energy has been delivered (None: none was): the reading
        before the first rise of the curve."""
        points = self.meter
        for before, after in itertools.pairwise(points):
            if after.wh > points[0].wh:
                return before.at
        return None

    def state_at(self, at: datetime) -> ChargingState:
        state = ChargingState.CHARGING
        for change in self.states:
            if change.at > at:
                break
            state = change.state
        return state


def seconds(delta: timedelta) -> Fraction:
    return Fraction(to_micros(delta), 1_000_000)


def to_micros(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def meter_curve(
    started_at: datetime,
    meter_start_wh: int,
    readings: Iterable[tuple[datetime, int | Fraction]],
    ended_at: datetime,
    meter_end_wh: int | Fraction | None,
) -> tuple[MeterPoint, ...]:
    """The energy curve from a session's register readings: clipped to the session, sorted, and
    made non-decreasing (a reading below an earlier one is held at the earlier level)."""
    inside = sorted((at, Fraction(wh)) for at, wh in readings if started_at < at <= ended_at)
    points = [MeterPoint(started_at, Fraction(meter_start_wh))]
    for at, wh in inside:
        level = max(points[-1].wh, wh)
        if at == points[-1].at:
            points[-1] = MeterPoint(at, level)
        else:
            points.append(MeterPoint(at, level))
    final = points[-1].wh if meter_end_wh is None else max(points[-1].wh, Fraction(meter_end_wh))
    if ended_at > points[-1].at:
        points.append(MeterPoint(ended_at, final))
    else:
        points[-1] = MeterPoint(points[-1].at, final)
    return tuple(points)


def state_timeline(changes: Iterable[tuple[datetime, str | None]]) -> tuple[StateChange, ...]:
    """The charging state changes among reported statuses, in time order, repeats dropped."""
    timeline: list[StateChange] = []
    for at, status in sorted(changes, key=lambda change: change[0]):
        state = state_of(status)
        if state is not None and (not timeline or timeline[-1].state is not state):
            timeline.append(StateChange(at, state))
    return tuple(timeline)
