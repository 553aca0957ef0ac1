"""Vouchers and their redemptions. `redemptions` on a voucher counts its redemptions and is only
ever moved by one atomic UPDATE (`VoucherRepository.claim`), so two drivers racing for a
single-use code cannot both get it."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.amount import Amount
from chargeyard.storage.base import Base, Tracked, uuid_pk
from chargeyard.storage.stamps import stamp


class Voucher(Tracked, Base):
    __tablename__ = "vouchers"
    __table_args__ = (UniqueConstraint("organization_id", "code_key"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    code_key: Mapped[str] = mapped_column(String(64))  # the code in lower case
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal | None] = mapped_column(Amount)
    percent: Mapped[Decimal | None] = mapped_column(Amount)
    max_amount: Mapped[Decimal | None] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    expires_at: Mapped[datetime | None]
    max_redemptions: Mapped[int | None] = mapped_column(Integer)
    per_driver_limit: Mapped[int] = mapped_column(Integer, default=1)
    redemptions: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="active")
    description: Mapped[str | None] = mapped_column(String(500))


class VoucherRedemption(Base):
    __tablename__ = "voucher_redemptions"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    voucher_id: Mapped[str] = mapped_column(ForeignKey("vouchers.id"), index=True)
    driver_id: Mapped[str] = mapped_column(ForeignKey("drivers.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal | None] = mapped_column(Amount)  # what it credited, once it has
    currency: Mapped[str] = mapped_column(String(3))
    entry_id: Mapped[int | None] = mapped_column(BigId)  # the ledger entry that credited it
    cdr_id: Mapped[str | None] = mapped_column(String(32))  # the session a percentage paid for
    redeemed_at: Mapped[datetime] = mapped_column(default=stamp)
    applied_at: Mapped[datetime | None]
