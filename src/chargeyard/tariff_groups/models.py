"""Tariff groups, their members (ID tags and drivers) and the places where they apply."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base, Tracked, uuid_pk


class TariffGroup(Tracked, Base):
    __tablename__ = "tariff_groups"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(200))
    # The tariff the members' sessions get wherever the group applies.
    tariff_id: Mapped[str] = mapped_column(ForeignKey("tariffs.id"), index=True)


class TariffGroupTag(Base):
    __tablename__ = "tariff_group_tags"

    tariff_group_id: Mapped[str] = mapped_column(
        ForeignKey("tariff_groups.id", ondelete="CASCADE"), primary_key=True
    )
    id_tag_id: Mapped[str] = mapped_column(
        ForeignKey("id_tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TariffGroupDriver(Base):
    """A driver member: every ID tag the driver holds (now or later) is in the group."""

    __tablename__ = "tariff_group_drivers"

    tariff_group_id: Mapped[str] = mapped_column(
        ForeignKey("tariff_groups.id", ondelete="CASCADE"), primary_key=True
    )
    driver_id: Mapped[str] = mapped_column(
        ForeignKey("drivers.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TariffGroupPlace(Base):
    """Where a group applies: a station, a location (and its sub-locations), or, with neither,
    the whole organization."""

    __tablename__ = "tariff_group_places"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    tariff_group_id: Mapped[str] = mapped_column(
        ForeignKey("tariff_groups.id", ondelete="CASCADE"), index=True
    )
    station_id: Mapped[str | None] = mapped_column(
        ForeignKey("stations.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
