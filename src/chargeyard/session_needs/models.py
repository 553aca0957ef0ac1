"""The session needs table: what an operator set on one session."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base
from chargeyard.storage.stamps import stamp


class SessionNeedRow(Base):
    """What an operator set on one session (overrides the vehicle's and the EV's own data)."""

    __tablename__ = "session_needs"

    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    vehicle_id: Mapped[str | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    battery_kwh: Mapped[float | None]
    soc_percent: Mapped[float | None]
    target_soc_percent: Mapped[float | None]
    energy_kwh: Mapped[float | None]
    departure_at: Mapped[datetime | None]
    max_power_kw: Mapped[float | None]
    priority: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=stamp, onupdate=stamp)
