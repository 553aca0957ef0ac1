"""The EVSE wiring table: how each EVSE is fed, and the unit its station takes profiles in."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base
from chargeyard.storage.stamps import stamp


class EvseWiringRow(Base):
    """How an EVSE is fed (evse_id 0: the default for every EVSE of the station) and in which
    unit its station takes charging profiles."""

    __tablename__ = "evse_wiring"
    __table_args__ = (UniqueConstraint("station_id", "evse_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    evse_id: Mapped[int]
    supply: Mapped[str] = mapped_column(String(24))
    voltage_v: Mapped[float]
    power_factor: Mapped[float] = mapped_column(default=1.0)
    lines: Mapped[str] = mapped_column(String(12), default="L1,L2,L3")
    max_power_kw: Mapped[float]
    min_power_kw: Mapped[float | None]
    power_step_kw: Mapped[float] = mapped_column(default=0.0)
    bidirectional: Mapped[bool] = mapped_column(default=False)
    rate_unit: Mapped[str | None] = mapped_column(String(1))
    priority: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=stamp, onupdate=stamp)
