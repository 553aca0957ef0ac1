"""The demand-response events table."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, uuid_pk
from chargeyard.storage.stamps import stamp


class DemandResponseRow(Base):
    """A curtailment (cap the circuit) or a V2G window (bidirectional EVSEs may discharge)."""

    __tablename__ = "demand_response_events"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str] = mapped_column(ForeignKey("circuits.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    max_power_kw: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=stamp)
