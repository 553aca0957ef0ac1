"""A station's reported device model: one row per variable attribute, one per monitor, and one
for the latest read of its monitors."""

from datetime import datetime

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base


class DeviceVariable(Base):
    __tablename__ = "device_variables"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    component_name: Mapped[str] = mapped_column(String(50), index=True)
    component_instance: Mapped[str | None] = mapped_column(String(50))
    evse_id: Mapped[int | None]
    connector_id: Mapped[int | None]
    variable_name: Mapped[str] = mapped_column(String(50), index=True)
    variable_instance: Mapped[str | None] = mapped_column(String(50))
    attribute_type: Mapped[str] = mapped_column(String(8))
    value: Mapped[str | None] = mapped_column(Text)
    mutability: Mapped[str | None] = mapped_column(String(16))
    persistent: Mapped[bool | None]
    constant: Mapped[bool | None]
    data_type: Mapped[str | None] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(16))
    min_limit: Mapped[float | None]
    max_limit: Mapped[float | None]
    values_list: Mapped[str | None] = mapped_column(Text)
    supports_monitoring: Mapped[bool | None]
    report_request_id: Mapped[int | None]
    reported_at: Mapped[datetime]


class DeviceMonitor(Base):
    __tablename__ = "device_monitors"
    __table_args__ = (UniqueConstraint("station_id", "monitor_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    monitor_id: Mapped[int]
    component_name: Mapped[str] = mapped_column(String(50))
    component_instance: Mapped[str | None] = mapped_column(String(50))
    evse_id: Mapped[int | None]
    connector_id: Mapped[int | None]
    variable_name: Mapped[str] = mapped_column(String(50))
    variable_instance: Mapped[str | None] = mapped_column(String(50))
    type: Mapped[str] = mapped_column(String(32))
    value: Mapped[float]
    severity: Mapped[int]
    transaction: Mapped[bool] = mapped_column(default=False)
    report_request_id: Mapped[int | None]
    reported_at: Mapped[datetime]


class DeviceMonitorRead(Base):
    """The latest GetMonitoringReport sent to a station (`device_model/domain.py: MonitorRead`),
    and when a read of its monitors last finished (what the monitors page says)."""

    __tablename__ = "device_monitor_reads"
    __table_args__ = (UniqueConstraint("organization_id", "station_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    request_id: Mapped[int]
    whole: Mapped[bool]
    awaiting: Mapped[bool]
    listed: Mapped[list[int]] = mapped_column(JSON)
    requested_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    finished_whole: Mapped[bool | None]
