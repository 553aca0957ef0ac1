"""Tag groups and their members; a tag may be in several groups."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class TagGroup(Tracked, Base):
    __tablename__ = "tag_groups"
    __table_args__ = (UniqueConstraint("organization_id", "name"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(200))


class TagGroupMember(Base):
    __tablename__ = "tag_group_members"

    tag_group_id: Mapped[str] = mapped_column(
        ForeignKey("tag_groups.id", ondelete="CASCADE"), primary_key=True
    )
    id_tag_id: Mapped[str] = mapped_column(
        ForeignKey("id_tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
