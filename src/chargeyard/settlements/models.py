"""Settlements, one row per attempt a station reported."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base


class SettlementRow(Base):
    """`transaction_id` is Chargeyard's transaction, when the station named one it knows."""

    __tablename__ = "settlements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    transaction_id: Mapped[int | None] = mapped_column(index=True)
    ocpp_transaction_id: Mapped[str | None] = mapped_column(String(36))
    psp_ref: Mapped[str] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(16))
    status_info: Mapped[str | None] = mapped_column(String(500))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    settled_at: Mapped[datetime] = mapped_column(index=True)
    receipt_id: Mapped[str | None] = mapped_column(String(50))
    receipt_url: Mapped[str | None] = mapped_column(String(2000))
    vat_number: Mapped[str | None] = mapped_column(String(20))
    vat_company: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[datetime]
