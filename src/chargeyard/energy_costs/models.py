"""A finished session's energy cost and margin, recorded once when it stops."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.amount import Amount
from chargeyard.storage.base import Base


class SessionEnergyCost(Base):
    __tablename__ = "session_energy_costs"

    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64))
    # Where the session ran when it stopped: the site aggregates follow this.
    location_id: Mapped[str | None] = mapped_column(String(32), index=True)
    stopped_at: Mapped[datetime] = mapped_column(index=True)
    currency: Mapped[str] = mapped_column(String(3))
    energy_wh: Mapped[int] = mapped_column(BigInteger)
    # The part of the energy delivered while an energy price was in force.
    priced_wh: Mapped[int] = mapped_column(BigInteger)
    energy_cost: Mapped[Decimal] = mapped_column(Amount)
    revenue_excl_tax: Mapped[Decimal] = mapped_column(Amount)
    margin: Mapped[Decimal] = mapped_column(Amount)
