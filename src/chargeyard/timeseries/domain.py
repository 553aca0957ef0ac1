"""Resampling meter values into fixed buckets. Pure.

The rule (docs/timeseries.md): buckets follow the clock of a time zone (UTC, or the location's):
`1d` buckets are its days, from local midnight to midnight, and shorter ones start at the local
multiples of their length (in UTC, the resolution's grid from the Unix epoch). A series is one energy register, that of a connector (or of one session on
it). The energy between two consecutive readings of a register is spread evenly over the time
between them, so each bucket gets the share of it that fell inside; a register going backwards
(a reset, a replaced meter) adds nothing for that step. A bucket's energy is the sum over its
series; its power is that energy over the bucket's length (the time-weighted average power);
its state of charge is the last SoC reported inside it (one series only: a station's connectors
have no common SoC).
"""

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from itertools import pairwise

from chargeyard.kpis.sessions import day_start, next_day_start

ENERGY = "Energy.Active.Import.Register"
SOC = "SoC"
MAX_BUCKETS = 5000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Resolution(StrEnum):
    MINUTE = "1m"
    FIVE_MINUTES = "5m"
    FIFTEEN_MINUTES = "15m"
    HALF_HOUR = "30m"
    HOUR = "1h"
    SIX_HOURS = "6h"
    DAY = "1d"

    @property
    def seconds(self) -> int:
        number, unit = int(self.value[:-1]), self.value[-1]
        return number * {"m": 60, "h": 3600, "d": 86400}[unit]


class TooManyBuckets(ValueError):
    pass


def edges(
    start: datetime, end: datetime, resolution: Resolution, zone: tzinfo = UTC
) -> list[datetime]:
    """The bucket boundaries covering [start, end): the first at or before `start`, aligned.
    Buckets are those of `zone`'s clock: days (`1d`) start at local midnights, so one that
    crosses a change of daylight saving time lasts 23 or 25 hours, and shorter buckets at
    the local multiples of their length (a `1h` bucket in India's +05:30 starts on the local
    hour, not at half past; see `next_local_edge`)."""
    if zone is UTC:
        return _epoch_edges(start, end, resolution)
    step = timedelta(seconds=resolution.seconds)
    day = resolution is Resolution.DAY
    cuts = [day_start(start, zone) if day else local_floor(start, step, zone)]
    while cuts[-1] < end:
        if len(cuts) > MAX_BUCKETS:
            raise TooManyBuckets(f"at most {MAX_BUCKETS} buckets: ask for a coarser resolution")
        last = cuts[-1]
        cuts.append(next_day_start(last, zone) if day else next_local_edge(last, step, zone))
    return cuts


def _epoch_edges(start: datetime, end: datetime, resolution: Resolution) -> list[datetime]:
    """UTC buckets: the resolution's grid from the Unix epoch."""
    # In whole microseconds (timedelta // timedelta): seconds cut to an int lost the bucket
    # holding an `end` less than a second past an edge, and floored a start before the epoch
    # towards it instead of down.
    step = timedelta(seconds=resolution.seconds)
    first = EPOCH + (start - EPOCH) // step * step
    count = -(-(end - first) // step)
    if count > MAX_BUCKETS:
        raise TooManyBuckets(f"at most {MAX_BUCKETS} buckets: ask for a coarser resolution")
    return [first + step * n for n in range(max(count, 1) + 1)]


def _offset(instant: datetime, zone: tzinfo) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta(0)


def _into(wall: datetime, step: timedelta) -> timedelta:
    """How far a local wall-clock reading (as an instant shifted by its offset) is past the
    last multiple of `step` (which divides a day)."""
    return (wall - EPOCH) % step


def _change(after: datetime, until: datetime, zone: tzinfo) -> datetime:
    """The instant in (after, until] at which the zone's offset changes (once: zones change
    their clocks months apart), found to the second (zones change on whole seconds)."""
    low = int((after - EPOCH).total_seconds() // 1)
    high = -int(-(until - EPOCH).total_seconds() // 1)
    before = _offset(after, zone)
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(EPOCH + timedelta(seconds=middle), zone) == before:
            low = middle
        else:
            high = middle
    return EPOCH + timedelta(seconds=high)


def next_local_edge(cut: datetime, step: timedelta, zone: tzinfo) -> datetime:
    """The first instant after `cut` whose local time is a multiple of `step`. Where the
    clocks jump forward over such a time (a boundary that never shows on the local clock),
    the bucket ends at the jump instead, as a day whose midnight is skipped begins at it; where
    they go back, a local time shown twice is a boundary both times. So an hourly bucket lasts
    an hour across a one-hour change, and a `6h` bucket 5 or 7 hours."""
    offset = _offset(cut, zone)
    candidate = cut + step - _into(cut + offset, step)
    after = _offset(candidate, zone)
    if after == offset:
        return candidate
    change = _change(cut, candidate, zone)
    after = _offset(change, zone)
    # The local times [change + offset, change + after) never show when the clocks jump.
    shown_last = _into(change + offset, step)
    first_unshown = change + offset + (step - shown_last if shown_last else timedelta(0))
    if after > offset and first_unshown < change + after:
        return change
    into = _into(change + after, step)
    return change if not into else change + step - into


def local_floor(instant: datetime, step: timedelta, zone: tzinfo) -> datetime:
    """The last local boundary (`next_local_edge`) at or before `instant`."""
    day = day_start(instant, zone)
    offset = _offset(instant, zone)
    guess = instant - _into(instant + offset, step)
    if guess >= day and _offset(guess, zone) == offset:
        return guess
    cut = day  # a change of the clocks since the local midnight: walk from it
    while (following := next_local_edge(cut, step, zone)) <= instant:
        cut = following
    return cut


Reading = tuple[datetime, float]
"""(instant, value): Wh for a register, percent for SoC."""


def spread(readings: Sequence[Reading], bounds: Sequence[datetime]) -> list[float]:
    """Wh per bucket from one register's readings (sorted by time)."""
    energy = [0.0] * (len(bounds) - 1)
    for (t0, v0), (t1, v1) in pairwise(readings):
        if t1 <= t0 or v1 <= v0:
            continue
        rate = (v1 - v0) / (t1 - t0).total_seconds()
        index = max(bisect_right(bounds, t0) - 1, 0)
        while index < len(energy) and bounds[index] < t1:
            overlap = (min(t1, bounds[index + 1]) - max(t0, bounds[index])).total_seconds()
            if overlap > 0:
                energy[index] += rate * overlap
            index += 1
    return energy


def last_in(readings: Sequence[Reading], bounds: Sequence[datetime]) -> list[float | None]:
    """The last reading inside each bucket (None where there is none); readings sorted."""
    found: list[float | None] = [None] * (len(bounds) - 1)
    for at, value in readings:
        index = bisect_right(bounds, at) - 1
        if 0 <= index < len(found):
            found[index] = value
    return found


@dataclass(frozen=True)
class Point:
    start: datetime
    energy_kwh: float
    power_kw: float
    soc_percent: float | None


def resample(
    registers: Iterable[Sequence[Reading]],
    soc: Sequence[Sequence[Reading]],
    bounds: Sequence[datetime],
) -> list[Point]:
    """One point per bucket, from each series' register readings and SoC readings."""
    total = [0.0] * (len(bounds) - 1)
    for readings in registers:
        for index, wh in enumerate(spread(readings, bounds)):
            total[index] += wh
    socs = last_in(soc[0], bounds) if len(soc) == 1 else [None] * len(total)
    points = []
    for index, (low, high) in enumerate(pairwise(bounds)):
        hours = (high - low).total_seconds() / 3600
        kwh = total[index] / 1000
        points.append(Point(low, round(kwh, 6), round(kwh / hours, 6), socs[index]))
    return points


def to_wh(value: float, unit: str | None) -> float:
    return value * 1000 if unit == "kWh" else value


LoadStep = tuple[datetime, float, float | None, float | None]
"""(instant, load kW, sum of the limits in force kW, circuit limit kW), holding until the next
step; None where a value is not known (a session without a limit; a circuit without one)."""


@dataclass(frozen=True)
class LoadPoint:
    start: datetime
    load_kw: float | None
    """Time-weighted average load over the part of the bucket the steps cover."""
    peak_load_kw: float | None
    limits_kw: float | None
    """Time-weighted average of the sum of the limits in force, over the part where known."""
    limit_kw: float | None
    """The circuit's lowest limit in the bucket (what the planner keeps to)."""


@dataclass
class _LoadBucket:
    load_ws: float = 0.0
    covered_s: float = 0.0
    peak_kw: float | None = None
    limits_ws: float = 0.0
    known_s: float = 0.0
    limit_kw: float | None = None

    def add(self, seconds: float, load: float, limits: float | None, limit: float | None) -> None:
        self.load_ws += load * seconds
        self.covered_s += seconds
        self.peak_kw = load if self.peak_kw is None else max(self.peak_kw, load)
        if limits is not None:
            self.limits_ws += limits * seconds
            self.known_s += seconds
        if limit is not None:
            self.limit_kw = limit if self.limit_kw is None else min(self.limit_kw, limit)

    def point(self, start: datetime) -> LoadPoint:
        covered, known = self.covered_s, self.known_s
        return LoadPoint(
            start,
            round(self.load_ws / covered, 3) if covered else None,
            None if self.peak_kw is None else round(self.peak_kw, 3),
            round(self.limits_ws / known, 3) if known else None,
            None if self.limit_kw is None else round(self.limit_kw, 3),
        )


def resample_load(steps: Sequence[LoadStep], bounds: Sequence[datetime]) -> list[LoadPoint]:
    """One point per bucket from step lines (sorted by time; each value holds until the next
    step, the last one marks the end). A step line is resampled as energy is: each bucket gets
    the share of each step that fell inside it, so its load is the time-weighted average (the
    energy the circuit carried over the bucket's length), and its peak the highest step in it.
    A bucket the steps do not reach (the future) is all None."""
    buckets = [_LoadBucket() for _ in range(len(bounds) - 1)]
    for (t0, load, limits, limit), (t1, *_) in pairwise(steps):
        if t1 <= t0:
            continue
        index = max(bisect_right(bounds, t0) - 1, 0)
        while index < len(buckets) and bounds[index] < t1:
            overlap = (min(t1, bounds[index + 1]) - max(t0, bounds[index])).total_seconds()
            if overlap > 0:
                buckets[index].add(overlap, load, limits, limit)
            index += 1
    return [bucket.point(low) for bucket, low in zip(buckets, bounds, strict=False)]
