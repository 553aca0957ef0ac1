"""The capacity windows table: time-varying limits on a circuit."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, uuid_pk
from chargeyard.storage.stamps import stamp


class CapacityWindowRow(Base):
    """A time-varying limit on a circuit (min of the static limit and this applies)."""

    __tablename__ = "circuit_capacity_windows"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str] = mapped_column(ForeignKey("circuits.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    max_power_kw: Mapped[float | None]
    max_current_a: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=stamp)
