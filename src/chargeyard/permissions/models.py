"""A permission grants one tag or one tag group access to a location subtree or one station,
optionally between dates and within a daily time-of-day window."""

from datetime import datetime, time

from sqlalchemy import ForeignKey, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class Permission(Tracked, Base):
    __tablename__ = "permissions"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    id_tag_id: Mapped[str | None] = mapped_column(
        ForeignKey("id_tags.id", ondelete="CASCADE"), index=True
    )
    tag_group_id: Mapped[str | None] = mapped_column(
        ForeignKey("tag_groups.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    station_id: Mapped[str | None] = mapped_column(
        ForeignKey("stations.id", ondelete="CASCADE"), index=True
    )
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    # Wall-clock time at the station's location; a window may wrap midnight (22:00-06:00).
    daily_from: Mapped[time | None] = mapped_column(Time)
    daily_until: Mapped[time | None] = mapped_column(Time)
    description: Mapped[str | None] = mapped_column(String(200))
