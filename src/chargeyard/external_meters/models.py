"""External meters and their power readings.

A meter sits on a circuit (its load counts on that circuit and every circuit above it) or on a
location (at the site connection of that location). Deleting the circuit or location leaves the meter
unplaced: it counts nowhere until it is placed again."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base, Tracked, uuid_pk
from chargeyard.storage.stamps import stamp


class ExternalMeterRow(Tracked, Base):
    __tablename__ = "external_meters"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    circuit_id: Mapped[str | None] = mapped_column(
        ForeignKey("circuits.id", ondelete="SET NULL"), index=True
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL"), index=True
    )


class ExternalMeterReadingRow(Base):
    """What a meter measured at one instant (sent again, a reading replaces the one held)."""

    __tablename__ = "external_meter_readings"
    __table_args__ = (UniqueConstraint("meter_id", "measured_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    meter_id: Mapped[str] = mapped_column(ForeignKey("external_meters.id", ondelete="CASCADE"))
    measured_at: Mapped[datetime]
    power_kw: Mapped[float]
    """Active power drawn (negative: fed into the site, e.g. a PV inverter's meter)."""
    energy_kwh: Mapped[float | None]
    """The meter's import register, when it sent one."""
    received_at: Mapped[datetime] = mapped_column(default=stamp)
