"""The vendor error code table: one translation per (organization, vendor, model, firmware
version, code); model and firmware version are '' for "any"."""

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class VendorErrorCode(Tracked, Base):
    __tablename__ = "vendor_error_codes"
    __table_args__ = (
        UniqueConstraint("organization_id", "vendor", "model", "firmware_version", "code"),
    )

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    vendor: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(50), default="")
    firmware_version: Mapped[str] = mapped_column(String(50), default="")
    code: Mapped[str] = mapped_column(String(50), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(16))
    action: Mapped[str | None] = mapped_column(Text)
