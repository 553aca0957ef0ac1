"""What retention keeps, as values and pure rules: cut-offs and the hourly meter-value rollup.

Raw meter values are many (a sample per phase and measurand every few seconds per connector) and
are needed in full only while a session may still be costed, disputed or plotted closely. Before
a raw sample is deleted it is folded into an hourly rollup per station, EVSE, connector,
session, measurand, phase, location and unit, so energy and power remain available for ever at
an hour's resolution: count, sum, minimum and maximum of the numeric values, and the first and
last value with their times (for a cumulative register such as Energy.Active.Import.Register,
`last - first` of consecutive hours gives the energy; for power, `sum / count` the average).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetentionPolicy:
    """How many days each kind of record is kept; None keeps it for ever."""

    message_log_days: int | None
    meter_values_days: int | None
    events_days: int | None
    webhook_deliveries_days: int | None
    batch_size: int

    def cutoff(self, days: int | None, now: datetime) -> datetime | None:
        """Records older than the answer are deleted; None: keep everything."""
        return None if days is None else now - timedelta(days=days)

    def meter_values_cutoff(self, now: datetime) -> datetime | None:
        """Rounded down to the hour, so an hour is rolled up whole, never half of it."""
        cutoff = self.cutoff(self.meter_values_days, now)
        return None if cutoff is None else hour_of(cutoff)


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class RollupKey:
    organization_id: str
    station_id: str
    evse_id: int
    connector_id: int
    transaction_id: int | None
    measurand: str
    phase: str
    location: str
    unit: str
    hour: datetime


@dataclass(frozen=True)
class Sample:
    """One raw meter value, as much of it as the rollup needs."""

    organization_id: str
    station_id: str
    evse_id: int
    connector_id: int
    transaction_id: int | None
    measurand: str
    phase: str | None
    location: str | None
    unit: str | None
    timestamp: datetime
    number: float | None

    def key(self) -> RollupKey:
        return RollupKey(
            self.organization_id,
            self.station_id,
            self.evse_id,
            self.connector_id,
            self.transaction_id,
            self.measurand,
            self.phase or "",
            self.location or "",
            self.unit or "",
            hour_of(self.timestamp),
        )


@dataclass(frozen=True)
class Aggregate:
    """An hour's samples of one series. `count` counts every sample; the figures cover the
    numeric ones (`numeric_count` of them), so a text-valued sample is counted but not summed."""

    count: int
    numeric_count: int
    total: float
    minimum: float | None
    maximum: float | None
    first_at: datetime
    first_value: float | None
    last_at: datetime
    last_value: float | None

    @staticmethod
    def of(sample: Sample) -> Aggregate:
        number = sample.number
        return Aggregate(
            count=1,
            numeric_count=0 if number is None else 1,
            total=0.0 if number is None else number,
            minimum=number,
            maximum=number,
            first_at=sample.timestamp,
            first_value=number,
            last_at=sample.timestamp,
            last_value=number,
        )

    def merge(self, other: Aggregate) -> Aggregate:
        """The aggregate of both sets of samples: merging is associative and commutative, so the
        rollup does not depend on how the samples were split into batches."""
        # Ties in time are broken by value, so the result never depends on the merge order.
        first = min(self, other, key=lambda a: (a.first_at, _order(a.first_value)))
        last = max(self, other, key=lambda a: (a.last_at, _order(a.last_value)))
        return replace(
            self,
            count=self.count + other.count,
            numeric_count=self.numeric_count + other.numeric_count,
            total=self.total + other.total,
            minimum=_extreme(min, self.minimum, other.minimum),
            maximum=_extreme(max, self.maximum, other.maximum),
            first_at=first.first_at,
            first_value=first.first_value,
            last_at=last.last_at,
            last_value=last.last_value,
        )


def _order(value: float | None) -> float:
    return float("-inf") if value is None else value


def _extreme(
    pick: Callable[[float, float], float], a: float | None, b: float | None
) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return pick(a, b)


def fold(samples: Iterable[Sample]) -> dict[RollupKey, Aggregate]:
    """Samples grouped into hourly aggregates."""
    folded: dict[RollupKey, Aggregate] = {}
    for sample in samples:
        key = sample.key()
        one = Aggregate.of(sample)
        found = folded.get(key)
        folded[key] = one if found is None else found.merge(one)
    return folded


@dataclass(frozen=True)
class RetentionReport:
    """What one pass deleted (or, in a dry run, would delete), per kind of record."""

    message_log: int = 0
    meter_values: int = 0
    rollups_written: int = 0
    events: int = 0
    webhook_deliveries: int = 0
    webhook_attempts: int = 0
