"""Drivers, their ID tags, ledger entries and payments. Ledger entries and payments are only
ever inserted: nothing updates or deletes them (a driver with entries cannot be deleted)."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.amount import Amount
from chargeyard.storage.base import Base, Tracked, uuid_pk
from chargeyard.storage.stamps import stamp


class Driver(Tracked, Base):
    __tablename__ = "drivers"
    __table_args__ = (UniqueConstraint("organization_id", "email"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(16), default="enabled")
    payment_mode: Mapped[str] = mapped_column(String(16), default="postpaid")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")


class DriverTag(Base):
    """An ID tag belongs to at most one driver."""

    __tablename__ = "driver_tags"

    id_tag_id: Mapped[str] = mapped_column(
        ForeignKey("id_tags.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    driver_id: Mapped[str] = mapped_column(ForeignKey("drivers.id", ondelete="CASCADE"), index=True)


class Payment(Base):
    """Money a payment provider collected for a top-up (`manual`: an operator recorded it)."""

    __tablename__ = "payments"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    driver_id: Mapped[str] = mapped_column(ForeignKey("drivers.id"), index=True)
    provider: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=stamp)


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    driver_id: Mapped[str] = mapped_column(ForeignKey("drivers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Amount)  # signed: credit positive
    currency: Mapped[str] = mapped_column(String(3))
    description: Mapped[str | None] = mapped_column(String(500))
    cdr_id: Mapped[str | None] = mapped_column(String(32), index=True)
    payment_id: Mapped[str | None] = mapped_column(ForeignKey("payments.id"))
    created_at: Mapped[datetime] = mapped_column(default=stamp, index=True)
