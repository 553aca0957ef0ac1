"""Reported external charging limits; `cleared_at` is set when the station lifts one.

Two ways in: a station's NotifyChargingLimit (`profile_id` None), and the station's
ChargingStationExternalConstraints profiles, read back with GetChargingProfiles (`profile_id`,
`profile` and the `request_id` of the read that found them). `ChargingLimitReadRow` names each
station's latest read, so only its answers replace what the last read found.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
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
    profile_id: Mapped[int | None]
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    request_id: Mapped[int | None]


class ChargingLimitReadRow(Base):
    """The latest GetChargingProfiles (purpose ChargingStationExternalConstraints) sent to a
    station: its ReportChargingProfiles answers are what the station holds."""

    __tablename__ = "charging_limit_reads"
    __table_args__ = (UniqueConstraint("organization_id", "station_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    request_id: Mapped[int]
    requested_at: Mapped[datetime]
