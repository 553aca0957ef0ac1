"""CDRs: one row per issued record, never updated. `document` is the OCPI-shaped record; the
columns repeat what lists filter and sum on."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.amount import Amount
from chargeyard.storage.base import Base, uuid_pk
from chargeyard.storage.stamps import stamp


class Cdr(Base):
    __tablename__ = "cdrs"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    id_tag: Mapped[str | None] = mapped_column(String(36), index=True)
    driver_id: Mapped[str | None] = mapped_column(String(32), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    total_excl_tax: Mapped[Decimal] = mapped_column(Amount)
    total_incl_tax: Mapped[Decimal] = mapped_column(Amount)
    credit: Mapped[bool] = mapped_column(default=False)
    credit_reference_id: Mapped[str | None] = mapped_column(String(32), index=True)
    started_at: Mapped[datetime]
    stopped_at: Mapped[datetime] = mapped_column(index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=stamp, index=True)
