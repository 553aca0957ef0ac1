"""Each transaction event a station reported (2.0.1 and later), kept as received.

`(transaction_id, seq_no)` is unique: a replayed event is recognised and changes nothing.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base
from chargeyard.storage.stamps import stamp


class TransactionEventRecord(Base):
    __tablename__ = "transaction_events"
    __table_args__ = (
        UniqueConstraint("transaction_id", "seq_no"),
        # A session's latest chargingState, read by the alert sweep for every open session
        # (`transaction_events.repository.latest_charging_state`): without it the read walks
        # back over every meter-only event since the state last changed (migration 0016).
        Index(
            "ix_transaction_events_charging_state",
            "transaction_id",
            "seq_no",
            sqlite_where=text("charging_state IS NOT NULL"),
            postgresql_where=text("charging_state IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    transaction_id: Mapped[int] = mapped_column(ForeignKey("transactions.id"), index=True)
    seq_no: Mapped[int]
    event_type: Mapped[str] = mapped_column(String(16))
    trigger_reason: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime]
    offline: Mapped[bool] = mapped_column(default=False)
    evse_id: Mapped[int | None]
    connector_id: Mapped[int | None]
    id_tag: Mapped[str | None] = mapped_column(String(255))
    charging_state: Mapped[str | None] = mapped_column(String(32))
    stopped_reason: Mapped[str | None] = mapped_column(String(40))
    # False for an event that arrived after the transaction had ended (stored, never reopens it)
    applied: Mapped[bool] = mapped_column(default=True)
    received_at: Mapped[datetime] = mapped_column(default=stamp)
