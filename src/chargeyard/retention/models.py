"""The hourly meter-value rollup table (see `domain.py` for what each column means)."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base


class MeterValueRollup(Base):
    __tablename__ = "meter_value_rollups"
    __table_args__ = (
        Index("ix_meter_value_rollups_station_hour", "organization_id", "station_id", "hour"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32))
    station_id: Mapped[str] = mapped_column(String(64))
    evse_id: Mapped[int]
    connector_id: Mapped[int]
    # No foreign key: the rollup outlives whatever is done to the session's row.
    transaction_id: Mapped[int | None] = mapped_column(index=True)
    measurand: Mapped[str] = mapped_column(String(64))
    # '' rather than NULL for "not reported", so a series is one key, compared with '='.
    phase: Mapped[str] = mapped_column(String(8))
    location: Mapped[str] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    hour: Mapped[datetime]
    count: Mapped[int]
    numeric_count: Mapped[int]
    total: Mapped[float]
    minimum: Mapped[float | None]
    maximum: Mapped[float | None]
    first_at: Mapped[datetime]
    first_value: Mapped[float | None]
    last_at: Mapped[datetime]
    last_value: Mapped[float | None]
