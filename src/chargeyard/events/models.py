"""The event outbox: `seq` orders events; `id` is their stable public identity.

On PostgreSQL `seq` is taken from a sequence before commit, so a transaction holding a lower
`seq` can commit after one holding a higher `seq`: a reader following `seq` would skip it.
Readers follow `position` instead, which one sequencer in the cluster (`sequencer.py`) gives
events *after* they committed, in the order it sees them commit, one batch at a time and never
two batches at once: a position once read can never be overtaken. Events that a batch finds
committed together are numbered in `seq` order, which is their commit order whenever one
transaction waited for the other (row locks are taken before an event is recorded). Until it has
a position an event is in the log but not yet streamed or fanned out.

`fanned_out` marks an event the webhook dispatcher has already turned into deliveries, or one the
sequencer found owed to nobody (its organization had no enabled subscription when it was
numbered: `repository.sequence`).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.events.domain import envelope
from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base, new_id


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_organization_position", "organization_id", "position"),)

    seq: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(32), unique=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    type: Mapped[str] = mapped_column(String(64), index=True)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    station_id: Mapped[str | None] = mapped_column(String(64), index=True)
    transaction_id: Mapped[int | None] = mapped_column(index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    fanned_out: Mapped[bool] = mapped_column(default=False, index=True)
    position: Mapped[int | None] = mapped_column(BigInteger, unique=True)

    def envelope(self) -> dict[str, Any]:
        """The event as the log's readers, the live stream and webhooks receive it."""
        return envelope(
            id=self.id,
            type=self.type,
            occurred_at=self.occurred_at,
            organization_id=self.organization_id,
            station_id=self.station_id,
            transaction_id=self.transaction_id,
            data=self.data,
        )
