"""Tariffs and their versions. A version is never changed: an update adds the next one, so a
session costed with version n can be costed again with exactly what it was priced at."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base, Tracked, uuid_pk


class Tariff(Tracked, Base):
    __tablename__ = "tariffs"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(String(500))
    currency: Mapped[str] = mapped_column(String(3))
    # The organization's default: sessions where no station or location names a tariff.
    is_default: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(default=1)  # the current version's number
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)  # the current version's


class TariffVersion(Base):
    __tablename__ = "tariff_versions"
    __table_args__ = (UniqueConstraint("tariff_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    tariff_id: Mapped[str] = mapped_column(ForeignKey("tariffs.id", ondelete="CASCADE"))
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    valid_from: Mapped[datetime] = mapped_column(index=True)
