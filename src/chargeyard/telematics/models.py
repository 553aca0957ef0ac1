"""The telematics time series: one row per vehicle and instant (a reading sent again replaces
the one it repeats)."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base
from chargeyard.storage.stamps import stamp


class TelematicsReadingRow(Base):
    __tablename__ = "telematics_readings"
    __table_args__ = (UniqueConstraint("vehicle_id", "measured_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    vehicle_id: Mapped[str] = mapped_column(ForeignKey("vehicles.id", ondelete="CASCADE"))
    measured_at: Mapped[datetime]
    soc_percent: Mapped[float | None]
    odometer_km: Mapped[float | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    received_at: Mapped[datetime] = mapped_column(default=stamp)
