"""Resampling meter values into fixed buckets. Pure.

The rule (docs/timeseries.md): buckets are aligned to the resolution from the Unix epoch (UTC
midnight for `1d`). A series is one energy register, that of a connector (or of one session on
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
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from itertools import pairwise

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


def edges(start: datetime, end: datetime, resolution: Resolution) -> list[datetime]:
    """The bucket boundaries covering [start, end): the first at or before `start`, aligned."""
    step = resolution.seconds
    offset = int((start - EPOCH).total_seconds()) // step * step
    first = EPOCH + timedelta(seconds=offset)
    count = -(-int((end - first).total_seconds()) // step)
    if count > MAX_BUCKETS:
        raise TooManyBuckets(f"at most {MAX_BUCKETS} buckets: ask for a coarser resolution")
    return [first + timedelta(seconds=step * n) for n in range(max(count, 1) + 1)]


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
