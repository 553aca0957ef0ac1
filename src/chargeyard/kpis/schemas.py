"""KPI response bodies."""

from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from chargeyard.kpis.repository import Scope
from chargeyard.kpis.service import Measured, MeasuredIntervals
from chargeyard.kpis.sessions import Interval, SessionStats


class KpiIntervalOut(BaseModel):
    """The KPI over one interval of the calendar: bounds at the zone's offset (a local
    midnight reads as one)."""

    start: datetime
    end: datetime
    fraction: float | None
    up_s: float
    down_s: float
    excluded_s: float
    occupied_s: float
    charging_s: float | None = None
    occupied_fraction: float | None = None
    charging_fraction: float | None = None

    @classmethod
    def of(cls, kpi: str, measured: Measured, zone: ZoneInfo | None = None) -> "KpiIntervalOut":
        tally = measured.tally
        used = kpi == "utilisation"
        return cls(
            start=measured.start if zone is None else measured.start.astimezone(zone),
            end=measured.end if zone is None else measured.end.astimezone(zone),
            fraction=tally.utilisation if used else tally.fraction,
            up_s=round(tally.up_s, 3),
            down_s=round(tally.down_s, 3),
            excluded_s=round(tally.excluded_s, 3),
            occupied_s=round(tally.occupied_s, 3),
            charging_s=round(tally.charging_s, 3) if used else None,
            occupied_fraction=tally.utilisation if used else None,
            charging_fraction=tally.charging if used else None,
        )


class KpiOut(KpiIntervalOut):
    """`fraction` is up / (up + down) (for utilisation, occupied / (up + down)), between 0 and
    1; null when nothing was measured (no station in scope, or the period lies before they were
    registered). Utilisation also answers `occupied_fraction` (the same as its `fraction`) and
    `charging_fraction`, charging / (up + down): the share of the time in service the
    connectors delivered energy, a part of the occupied share (`charging_s`, null in the other
    KPIs' answers). Asked with an `interval`, uptime and utilisation also answer the same
    figures per interval of the calendar of `timezone` in `items` (null otherwise)."""

    kpi: Literal["uptime", "connectivity", "utilisation"]
    station_id: str | None
    location_id: str | None
    evse_id: int | None
    connector_id: int | None = None
    stations: int
    interval: Interval | None = None
    timezone: str | None = None
    items: list[KpiIntervalOut] | None = None

    @classmethod
    def of(  # type: ignore[override]  # the whole period names its scope too
        cls,
        kpi: Literal["uptime", "connectivity", "utilisation"],
        measured: Measured,
        scope: Scope,
    ) -> "KpiOut":
        """The answer names the scope as it was asked."""
        return cls(
            **KpiIntervalOut.of(kpi, measured).model_dump(),
            kpi=kpi,
            station_id=scope.station_id,
            location_id=scope.location_id,
            evse_id=scope.evse_id,
            connector_id=scope.connector_id,
            stations=measured.stations,
        )

    def per(self, interval: Interval, found: MeasuredIntervals) -> "KpiOut":
        """This answer with its figures per interval."""
        zone = ZoneInfo(found.timezone)
        items = [KpiIntervalOut.of(self.kpi, part, zone) for part in found.items]
        return self.model_copy(
            update={"interval": interval, "timezone": found.timezone, "items": items}
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
    def of(cls, stats: SessionStats, timezone: str = "UTC") -> "SessionStatsOut":
        """Bounds at the offset of the zone whose calendar cut them (a local midnight reads as
        one)."""
        zone = ZoneInfo(timezone)
        return cls(
            start=stats.start.astimezone(zone),
            end=stats.end.astimezone(zone),
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
    timezone: str
    station_id: str | None
    location_id: str | None
    evse_id: int | None
    connector_id: int | None = None
    items: list[SessionStatsOut]
    total: SessionStatsOut
