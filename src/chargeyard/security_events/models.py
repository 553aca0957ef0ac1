"""The security log: one row per reported or observed security event, kept for audit."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base
from chargeyard.storage.stamps import stamp


class SecurityEvent(Base):
    __tablename__ = "security_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    type: Mapped[str] = mapped_column(String(50), index=True)
    critical: Mapped[bool]
    source: Mapped[str] = mapped_column(String(16))
    ocpp_version: Mapped[str | None] = mapped_column(String(16))
    tech_info: Mapped[str | None] = mapped_column(String(255))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(default=stamp)
