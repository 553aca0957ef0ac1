"""Time-series answers."""

from datetime import datetime

from pydantic import BaseModel, Field

from chargeyard.timeseries.domain import Point
from chargeyard.timeseries.service import AvailabilityPoint, Series


class PointOut(BaseModel):
    start: datetime = Field(description="The bucket's start; it lasts one resolution.")
    energy_kwh: float = Field(description="Energy delivered inside the bucket.")
    power_kw: float = Field(description="Time-weighted average power over the bucket.")
    soc_percent: float | None = Field(
        description="The last state of charge reported inside the bucket (sessions and "
        "connectors only)."
    )

    @classmethod
    def of(cls, point: Point) -> "PointOut":
        return cls(
            start=point.start,
            energy_kwh=point.energy_kwh,
            power_kw=point.power_kw,
            soc_percent=point.soc_percent,
        )


class MeterSeriesOut(BaseModel):
    resolution: str
    start: datetime
    end: datetime
    points: list[PointOut]

    @classmethod
    def of(cls, series: Series) -> "MeterSeriesOut":
        return cls(
            resolution=series.resolution.value,
            start=series.start,
            end=series.end,
            points=[PointOut.of(point) for point in series.points],
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
    def of(cls, point: AvailabilityPoint) -> "AvailabilityPointOut":
        return cls(
            start=point.start,
            uptime=point.uptime.fraction,
            connectivity=point.connectivity.fraction,
            up_s=round(point.uptime.up_s, 3),
            down_s=round(point.uptime.down_s, 3),
            excluded_s=round(point.uptime.excluded_s, 3),
            connected_s=round(point.connectivity.up_s, 3),
        )


class AvailabilitySeriesOut(BaseModel):
    resolution: str
    points: list[AvailabilityPointOut]
