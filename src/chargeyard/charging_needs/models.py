"""EV charging needs and EV-chosen schedules, one row per report."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base


class ChargingNeedRow(Base):
    __tablename__ = "charging_needs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    evse_id: Mapped[int]
    requested_energy_transfer: Mapped[str] = mapped_column(String(32))
    departure_time: Mapped[datetime | None]
    energy_amount_wh: Mapped[int | None]
    ev_min_current_a: Mapped[float | None]
    ev_max_current_a: Mapped[float | None]
    ev_max_voltage_v: Mapped[float | None]
    ev_max_power_w: Mapped[float | None]
    state_of_charge: Mapped[int | None]
    max_schedule_tuples: Mapped[int | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    reported_at: Mapped[datetime] = mapped_column(index=True)


class EvChargingScheduleRow(Base):
    __tablename__ = "ev_charging_schedules"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    evse_id: Mapped[int]
    time_base: Mapped[datetime]
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON)
    reported_at: Mapped[datetime] = mapped_column(index=True)
