"""KPI response bodies."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from chargeyard.kpis.service import Measured


class KpiOut(BaseModel):
    """`fraction` is up / (up + down), between 0 and 1; null when nothing was measured (no
    station in scope, or the period lies before they were registered or reported)."""

    kpi: Literal["uptime", "connectivity"]
    station_id: str | None
    location_id: str | None
    evse_id: int | None
    start: datetime
    end: datetime
    fraction: float | None
    up_s: float
    down_s: float
    excluded_s: float
    stations: int

    @classmethod
    def of(
        cls,
        kpi: Literal["uptime", "connectivity"],
        measured: Measured,
        station_id: str | None,
        location_id: str | None,
        evse_id: int | None,
    ) -> "KpiOut":
        tally = measured.tally
        return cls(
            kpi=kpi,
            station_id=station_id,
            location_id=location_id,
            evse_id=evse_id,
            start=measured.start,
            end=measured.end,
            fraction=tally.fraction,
            up_s=round(tally.up_s, 3),
            down_s=round(tally.down_s, 3),
            excluded_s=round(tally.excluded_s, 3),
            stations=measured.stations,
        )
