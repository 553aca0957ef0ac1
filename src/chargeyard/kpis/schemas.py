"""KPI response bodies."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from chargeyard.kpis.service import Measured
from chargeyard.kpis.sessions import Interval, SessionStats


class KpiOut(BaseModel):
    """`fraction` is up / (up + down) (for utilisation, occupied / (up + down)), between 0 and
    1; null when nothing was measured (no station in scope, or the period lies before they were
    registered)."""

    kpi: Literal["uptime", "connectivity", "utilisation"]
    station_id: str | None
    location_id: str | None
    evse_id: int | None
    start: datetime
    end: datetime
    fraction: float | None
    up_s: float
    down_s: float
    excluded_s: float
    occupied_s: float
    stations: int

    @classmethod
    def of(
        cls,
        kpi: Literal["uptime", "connectivity", "utilisation"],
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
            fraction=tally.utilisation if kpi == "utilisation" else tally.fraction,
            up_s=round(tally.up_s, 3),
            down_s=round(tally.down_s, 3),
            excluded_s=round(tally.excluded_s, 3),
            occupied_s=round(tally.occupied_s, 3),
            stations=measured.stations,
        )


class SessionStatsOut(BaseModel):
    start: datetime
    end: datetime
    sessions: int
    finished: int
    failed: int
    failed_rate: float | None
    energy_wh: int
    average_duration_s: float | None
    average_energy_wh: float | None

    @classmethod
    def of(cls, stats: SessionStats) -> "SessionStatsOut":
        return cls(
            start=stats.start,
            end=stats.end,
            sessions=stats.sessions,
            finished=stats.finished,
            failed=stats.failed,
            failed_rate=stats.failed_rate,
            energy_wh=stats.energy_wh,
            average_duration_s=stats.average_duration_s,
            average_energy_wh=stats.average_energy_wh,
        )


class SessionReportOut(BaseModel):
    """Statistics of the sessions started in the period, per interval and in total."""

    interval: Interval
    station_id: str | None
    location_id: str | None
    evse_id: int | None
    items: list[SessionStatsOut]
    total: SessionStatsOut
