"""Asynchronous report requests: what was asked, how far the build is, and the stored file it
made (`files/`), which outlives nothing: deleting the file leaves the request without it."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, uuid_pk
from chargeyard.storage.stamps import stamp


class ReportRequest(Base):
    __tablename__ = "report_requests"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    format: Mapped[str] = mapped_column(String(8))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    rows: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="SET NULL"), index=True
    )
    requested_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=stamp, index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
