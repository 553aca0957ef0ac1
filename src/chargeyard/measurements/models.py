"""The site measurements table: baseload and solar readings at a circuit."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base


class MeasurementRow(Base):
    """Building baseload or solar production at a circuit, measured or forecast."""

    __tablename__ = "site_measurements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str] = mapped_column(ForeignKey("circuits.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    measured_at: Mapped[datetime] = mapped_column(index=True)
    power_kw: Mapped[float]
    forecast: Mapped[bool] = mapped_column(default=False)
