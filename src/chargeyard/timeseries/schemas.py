"""Time-series answers."""

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from chargeyard.timeseries.domain import LoadPoint, Point
from chargeyard.timeseries.service import AvailabilityPoint, CircuitSeries, Series


class PointOut(BaseModel):
    start: datetime = Field(
        description="The bucket's start (at the offset of the series' time zone); it lasts one "
        "resolution (a `1d` bucket, one local day: 23 or 25 hours across a clock change)."
    )
    energy_kwh: float = Field(description="Energy delivered inside the bucket.")
    power_kw: float = Field(description="Time-weighted average power over the bucket.")
    soc_percent: float | None = Field(
        description="The last state of charge reported inside the bucket (sessions and "
        "connectors only)."
    )

    @classmethod
    def of(cls, point: Point, timezone: str = "UTC") -> "PointOut":
        return cls(
            start=point.start.astimezone(ZoneInfo(timezone)),
            energy_kwh=point.energy_kwh,
            power_kw=point.power_kw,
            soc_percent=point.soc_percent,
        )


class MeterSeriesOut(BaseModel):
    resolution: str
    timezone: str = Field(description="The zone whose days `1d` buckets are.")
    start: datetime
    end: datetime
    points: list[PointOut]

    @classmethod
    def of(cls, series: Series) -> "MeterSeriesOut":
        zone = ZoneInfo(series.timezone)
        return cls(
            resolution=series.resolution.value,
            timezone=series.timezone,
            start=series.start.astimezone(zone),
            end=series.end.astimezone(zone),
            points=[PointOut.of(point, series.timezone) for point in series.points],
        )


class LoadPointOut(BaseModel):
    start: datetime = Field(description="The bucket's start; it lasts one resolution.")
    load_kw: float | None = Field(
        description="Measured load, time-weighted average over the bucket (null: not reached)."
    )
    peak_load_kw: float | None = Field(description="The highest load inside the bucket.")
    limits_kw: float | None = Field(
        description="Sum of the limits in force for the running sessions, time-weighted "
        "average over the part of the bucket where every running session had one (null: none)."
    )
    limit_kw: float | None = Field(
        description="The circuit's lowest limit in the bucket, less its buffer, with capacity "
        "windows and curtailments (null: the circuit has no kW limit)."
    )

    @classmethod
    def of(cls, point: LoadPoint) -> "LoadPointOut":
        return cls(
            start=point.start,
            load_kw=point.load_kw,
            peak_load_kw=point.peak_load_kw,
            limits_kw=point.limits_kw,
            limit_kw=point.limit_kw,
        )


class CircuitSeriesOut(BaseModel):
    circuit_id: str
    resolution: str
    start: datetime
    end: datetime
    truncated: bool = Field(
        description="The period held more sessions, readings or profiles than are read: only "
        "its newest part is complete."
    )
    points: list[LoadPointOut]

    @classmethod
    def of(cls, series: CircuitSeries) -> "CircuitSeriesOut":
        return cls(
            circuit_id=series.circuit_id,
            resolution=series.resolution.value,
            start=series.start,
            end=series.end,
            truncated=series.truncated,
            points=[LoadPointOut.of(point) for point in series.points],
        )


class AvailabilityPointOut(BaseModel):
    start: datetime
    uptime: float | None = Field(description="Up over up plus down; null if nothing measured.")
    connectivity: float | None
    up_s: float
    down_s: float
    excluded_s: float
    connected_s: float

    @classmethod
    def of(cls, point: AvailabilityPoint, timezone: str = "UTC") -> "AvailabilityPointOut":
        return cls(
            start=point.start.astimezone(ZoneInfo(timezone)),
            uptime=point.uptime.fraction,
            connectivity=point.connectivity.fraction,
            up_s=round(point.uptime.up_s, 3),
            down_s=round(point.uptime.down_s, 3),
            excluded_s=round(point.uptime.excluded_s, 3),
            connected_s=round(point.connectivity.up_s, 3),
        )


class AvailabilitySeriesOut(BaseModel):
    resolution: str
    timezone: str = Field(description="The zone whose days `1d` buckets are.")
    points: list[AvailabilityPointOut]
