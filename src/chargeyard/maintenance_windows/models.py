"""The maintenance window table (migration 0016): one station's, or every station's at one
location, from `starts_at` to `ends_at`."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class MaintenanceWindow(Tracked, Base):
    __tablename__ = "maintenance_windows"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    # Exactly one of the two is set (the service checks it).
    station_id: Mapped[str | None] = mapped_column(
        ForeignKey("stations.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str | None] = mapped_column(String(200))
