"""Station reports, one row per message (or per item for messages that list several)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base


class StationReportRow(Base):
    __tablename__ = "station_reports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    request_id: Mapped[int | None]
    seq_no: Mapped[int | None]
    tbc: Mapped[bool] = mapped_column(default=False)
    evse_id: Mapped[int | None]
    status: Mapped[str | None] = mapped_column(String(50))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime]
