"""One template per vendor and model; its layout is the planned EVSEs with their connectors."""

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class HardwareTemplate(Tracked, Base):
    __tablename__ = "hardware_templates"
    __table_args__ = (UniqueConstraint("organization_id", "vendor_key", "model_key"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    vendor: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(50))
    # Stations report vendor and model in whatever case their firmware uses.
    vendor_key: Mapped[str] = mapped_column(String(50))
    model_key: Mapped[str] = mapped_column(String(50))
    # [{"evse_id": 1, "physical_reference": ..., "connectors": [{"connector_id": 1, ...}]}]
    evses: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
