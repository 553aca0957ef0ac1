"""The planned routes table: one row per trip a vehicle is to make."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, uuid_pk
from chargeyard.storage.stamps import stamp


class PlannedRouteRow(Base):
    __tablename__ = "planned_routes"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    vehicle_id: Mapped[str] = mapped_column(
        ForeignKey("vehicles.id", ondelete="CASCADE"), index=True
    )
    departs_at: Mapped[datetime]
    energy_kwh: Mapped[float | None]
    """The energy the trip takes out of the battery (one of this and the target is set)."""
    target_soc_percent: Mapped[float | None]
    distance_km: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=stamp)
