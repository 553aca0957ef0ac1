"""The vehicles table (a vehicle's telematics and planned routes are `telematics/` and
`planned_routes/`; its group is `vehicle_groups/`)."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class VehicleRow(Tracked, Base):
    __tablename__ = "vehicles"
    __table_args__ = (UniqueConstraint("organization_id", "vin"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    vin: Mapped[str | None] = mapped_column(String(17))
    """ISO 3779 vehicle identification number, upper case; unique within the organization."""
    make: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    license_plate: Mapped[str | None] = mapped_column(String(20))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("vehicle_groups.id"), index=True)
    """A group with vehicles in it cannot be deleted (`vehicle_groups/service.py`)."""
    id_tag: Mapped[str | None] = mapped_column(String(36), index=True)
    battery_kwh: Mapped[float]
    soc_percent: Mapped[float | None]
    target_soc_percent: Mapped[float] = mapped_column(default=100.0)
    departure_time: Mapped[str | None] = mapped_column(String(5))
    """Usual departure, "HH:MM" UTC: the next one after a session starts is its deadline."""
    max_power_kw: Mapped[float | None]
    priority: Mapped[int | None]
