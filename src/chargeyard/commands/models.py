"""The command audit log: one row per command sent (or attempted) to a station."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class CommandRecord(Tracked, Base):
    """`request` is the body the caller gave; `ocpp_action`/`ocpp_request` what went on the
    wire (absent when nothing was sent); `http_status` what the synchronous API answered."""

    __tablename__ = "commands"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    command: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[str] = mapped_column(String(80), index=True)
    state: Mapped[str] = mapped_column(String(16))
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    ocpp_action: Mapped[str | None] = mapped_column(String(64))
    ocpp_request: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str | None] = mapped_column(String(40))
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None]
    requested_at: Mapped[datetime] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    duration_ms: Mapped[float | None]
