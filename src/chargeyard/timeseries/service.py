"""Time-series use cases: read the readings (or histories) in scope once, resample them
(`domain.py`, and the KPI rules for availability)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

from chargeyard.clock import Clock, as_utc
from chargeyard.errors import Invalid
from chargeyard.kpis import repository as kpis
from chargeyard.kpis.domain import Tally
from chargeyard.kpis.service import OUT_OF_RANGE, KpiService, calendar_zone
from chargeyard.measurements.load_history import load_history
from chargeyard.storage.session import AsyncSession
from chargeyard.timeseries.domain import (
    LoadPoint,
    Point,
    Resolution,
    TooManyBuckets,
    edges,
    resample,
    resample_load,
)
from chargeyard.timeseries.repository import Scope, TimeseriesRepository

DEFAULT_PERIOD = timedelta(days=1)
LOOKBACK = timedelta(days=1)
"""How far before the period the register readings are read, so the energy of the step that
crosses its start is spread into its first bucket."""


@dataclass(frozen=True)
class Series:
    resolution: Resolution
    start: datetime
    end: datetime
    points: list[Point]
    timezone: str = "UTC"
    """The zone whose days `1d` buckets are."""


@dataclass(frozen=True)
class CircuitSeries:
    circuit_id: str
    resolution: Resolution
    start: datetime
    end: datetime
    truncated: bool
    points: list[LoadPoint]


@dataclass(frozen=True)
class AvailabilityPoint:
    start: datetime
    uptime: Tally
    connectivity: Tally


def period(
    start: datetime | None, end: datetime | None, now: datetime, default_start: datetime | None
) -> tuple[datetime, datetime]:
    end = now if end is None else as_utc(end)
    if start is None:
        try:
            start = default_start if default_start is not None else end - DEFAULT_PERIOD
        except OverflowError:
            raise Invalid(OUT_OF_RANGE) from None
    start = as_utc(start)
    if start >= end:
        raise Invalid("start must be before end")
    return start, end


def bounds(
    start: datetime, end: datetime, resolution: Resolution, zone: tzinfo = UTC
) -> list[datetime]:
    try:
        return edges(start, end, resolution, zone)
    except TooManyBuckets as error:
        raise Invalid(str(error)) from None
    except OverflowError:  # a bucket edge beyond the calendar
        raise Invalid(OUT_OF_RANGE) from None


async def meter_series(
    session: AsyncSession,
    scope: Scope,
    resolution: Resolution,
    start: datetime | None,
    end: datetime | None,
    clock: Clock,
    timezone: str | None = None,
) -> Series:
    """Energy, power and SoC per bucket. A session's period defaults to the session (up to now
    while it is open); the others' to the day before now. Days are those of `timezone`, by
    default the location's."""
    repository = TimeseriesRepository(session, scope)
    default_start = None
    if scope.transaction_id is not None:
        started, stopped = await repository.session_window()
        default_start = started
        if end is None and stopped is not None and start is None:
            end = stopped
    else:
        await repository.check()
    first, last = period(start, end, clock(), default_start)
    zone = calendar_zone(timezone or await repository.timezone(), asked=timezone)
    cuts = bounds(first, last, resolution, zone)
    readings = await repository.readings(cuts[0] - LOOKBACK, cuts[-1])
    soc = list(readings.soc.values())
    points = resample(readings.energy.values(), soc, cuts)
    return Series(resolution, cuts[0], cuts[-1], points, str(zone))


async def circuit_series(
    session: AsyncSession,
    organization_id: str,
    circuit_id: str,
    resolution: Resolution,
    start: datetime | None,
    end: datetime | None,
    clock: Clock,
) -> CircuitSeries:
    """A circuit's measured load and the sum of the limits in force per bucket, read as the
    circuit page reads them (`measurements/load_history.py`); the period defaults to the
    day before now. Nothing is known after now: buckets there are empty."""
    now = clock()
    first, last = period(start, end, now, None)
    cuts = bounds(first, last, resolution)
    until = min(cuts[-1], now)
    if until <= cuts[0]:
        until = cuts[0]
    history = await load_history(session, organization_id, circuit_id, cuts[0], until)
    circuit = history.steps.circuit
    steps = [
        (at, load, limits, circuit.power_limit(at)) for at, load, limits in history.steps.steps
    ]
    return CircuitSeries(
        circuit_id, resolution, cuts[0], cuts[-1], history.truncated, resample_load(steps, cuts)
    )


async def availability_series(
    session: AsyncSession,
    scope: kpis.Scope,
    resolution: Resolution,
    start: datetime | None,
    end: datetime | None,
    clock: Clock,
    timezone: str | None = None,
) -> tuple[Resolution, str, list[AvailabilityPoint]]:
    """Uptime and connectivity per bucket, by the KPI definitions (docs/alerts.md, KPIs); days
    are those of `timezone`, by default the station's location's."""
    first, last = period(start, end, clock(), None)
    service = KpiService(session, scope, clock)
    zone = calendar_zone(timezone or await service.repository.timezone(), asked=timezone)
    cuts = bounds(first, last, resolution, zone)
    found = await service.series(cuts)
    return (
        resolution,
        str(zone),
        [
            AvailabilityPoint(low, up, connected)
            for low, (up, connected) in zip(cuts, found, strict=False)
        ],
    )
