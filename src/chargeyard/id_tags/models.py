"""The ID tag table: one row per token value per organization.

OCPP compares ID tokens case-insensitively, so each tag also keeps `value_key` (its value in
lower case), which is what lookups and the uniqueness constraint use.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from chargeyard.storage.base import Base, Tracked, uuid_pk


class IdTag(Tracked, Base):
    __tablename__ = "id_tags"
    __table_args__ = (UniqueConstraint("organization_id", "value_key"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    value: Mapped[str] = mapped_column(String(36))
    value_key: Mapped[str] = mapped_column(String(36))
    token_type: Mapped[str] = mapped_column(String(20), default="ISO14443")
    status: Mapped[str] = mapped_column(String(20), default="Accepted")
    expires_at: Mapped[datetime | None]
    parent_id_tag: Mapped[str | None] = mapped_column(String(36))
    group: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(200))

    @validates("value")
    def _keep_key(self, _name: str, value: str) -> str:
        self.value_key = value.lower()
        return value
