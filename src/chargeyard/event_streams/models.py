"""Periodic event streams and the values they carried."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base


class EventStreamRow(Base):
    """One opening of a stream: `stream_id` is the station's number, which it may reuse after
    closing, so each opening is its own row. `variable_monitoring_id` is absent for a stream
    Chargeyard first heard of through its data."""

    __tablename__ = "event_streams"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    stream_id: Mapped[int]
    variable_monitoring_id: Mapped[int | None]
    interval_s: Mapped[int | None]
    values: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(8), index=True)
    opened_at: Mapped[datetime] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    value_count: Mapped[int] = mapped_column(default=0)
    pending: Mapped[int | None]
    last_value_at: Mapped[datetime | None]


class EventStreamValueRow(Base):
    __tablename__ = "event_stream_values"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    stream_row_id: Mapped[int] = mapped_column(ForeignKey("event_streams.id"), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    value: Mapped[str] = mapped_column(String(2500))
    received_at: Mapped[datetime]
