"""The energy prices table."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, uuid_pk


class PriceRow(Base):
    """An energy price for an interval (time of use); circuit_id None: the whole organization."""

    __tablename__ = "energy_prices"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str | None] = mapped_column(ForeignKey("circuits.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    price_per_kwh: Mapped[Decimal] = mapped_column(Numeric(12, 6))
