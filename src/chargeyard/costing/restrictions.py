"""Whether a tariff element's restrictions hold, and where in a session they can change.

A restriction is read at the start of a segment (`timeline.py`), and every instant at which one
could change is a segment boundary: local midnights and the times of day a tariff names, the
instants the session's duration passes a limit, and those its energy passes one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from chargeyard.costing.evidence import Evidence
from chargeyard.tariffs.domain import WEEKDAYS, Restrictions, TariffDefinition


@dataclass(frozen=True)
class Conditions:
    """What restrictions look at, at one instant of a session."""

    local: datetime  # wall-clock time at the location
    elapsed_s: Fraction
    energy_kwh: Fraction  # delivered so far
    power_kw: Fraction  # average over the segment


def holds(restrictions: Restrictions | None, now: Conditions) -> bool:
    if restrictions is None:
        return True
    r = restrictions
    return (
        _time_of_day(r.start_time, r.end_time, now.local.time())
        and (r.start_date is None or now.local.date() >= r.start_date)
        and (r.end_date is None or now.local.date() < r.end_date)
        and (not r.day_of_week or WEEKDAYS[now.local.weekday()] in r.day_of_week)
        and _within(now.energy_kwh, r.min_kwh, r.max_kwh)
        and _within(now.power_kw, r.min_power, r.max_power)
        and _within(now.elapsed_s, r.min_duration, r.max_duration)
    )


def _within(value: Fraction, low: object, high: object) -> bool:
    return (low is None or value >= Fraction(str(low))) and (
        high is None or value < Fraction(str(high))
    )


def _time_of_day(start: time | None, end: time | None, now: time) -> bool:
    if start is None and end is None:
        return True
    if start is not None and end is not None and end < start:  # spans midnight
        return now >= start or now < end
    return (start is None or now >= start) and (end is None or now < end)


def boundaries(tariff: TariffDefinition, evidence: Evidence) -> set[datetime]:
    """Every instant inside the session at which some element's restrictions may change."""
    found: set[datetime] = set()
    restrictions = [e.restrictions for e in tariff.elements if e.restrictions is not None]
    if not restrictions:
        return found
    found |= _local_times(restrictions, evidence)
    for r in restrictions:
        for limit in (r.min_duration, r.max_duration):
            if limit is not None:
                found.add(evidence.started_at + timedelta(seconds=limit))
        for kwh in (r.min_kwh, r.max_kwh):
            if kwh is not None:
                reached = evidence.time_reaching(Fraction(str(kwh)) * 1000)
                if reached is not None:
                    found.add(reached)
    return {at for at in found if evidence.started_at < at < evidence.ended_at}


def _local_times(restrictions: Iterable[Restrictions], evidence: Evidence) -> set[datetime]:
    """Local midnights (dates and weekdays change) and named times of day, as UTC instants."""
    zone = ZoneInfo(evidence.timezone)
    times = {time(0, 0)}
    for r in restrictions:
        times |= {t for t in (r.start_time, r.end_time) if t is not None}
    first = evidence.started_at.astimezone(zone).date()
    last = evidence.ended_at.astimezone(zone).date()
    found = set()
    day = first
    while day <= last:
        for at in times:
            found.add(datetime.combine(day, at, zone).astimezone(evidence.started_at.tzinfo))
        day += timedelta(days=1)
    return found
