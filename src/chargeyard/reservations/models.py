"""The reservations table. `id` is also the reservationId the station receives."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base, Tracked


class Reservation(Tracked, Base):
    __tablename__ = "reservations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    station_id: Mapped[str] = mapped_column(
        ForeignKey("stations.id", ondelete="CASCADE"), index=True
    )
    evse_id: Mapped[int]
    id_tag: Mapped[str] = mapped_column(String(36))
    parent_id_tag: Mapped[str | None] = mapped_column(String(36))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    transaction_id: Mapped[int | None]
    ended_at: Mapped[datetime | None]
