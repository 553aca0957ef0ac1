"""The location table; `parent_id` builds the site tree."""

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class Location(Tracked, Base):
    __tablename__ = "locations"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    # Indexed: the site tree is walked by parent (a location's subtree for KPIs, maintenance
    # windows and site-scoped users), a join on `parent_id` at every level (migration 0022).
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(400))
    city: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # The tariff of sessions at its stations (and its children's) that name none of their own.
    tariff_id: Mapped[str | None] = mapped_column(ForeignKey("tariffs.id"), index=True)
