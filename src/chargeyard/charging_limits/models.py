"""Reported external charging limits; `cleared_at` is set when the station lifts one."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base


class ChargingLimitRow(Base):
    __tablename__ = "charging_limits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    evse_id: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(20))
    grid_critical: Mapped[bool | None]
    schedules: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reported_at: Mapped[datetime] = mapped_column(index=True)
    cleared_at: Mapped[datetime | None]
