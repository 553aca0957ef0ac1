"""The event outbox: `seq` orders events; `id` is their stable public identity.

On PostgreSQL `seq` is taken from a sequence before commit, so a transaction holding a lower
`seq` can commit after one holding a higher `seq`: a reader following `seq` would skip it.
Readers follow `position` instead, which one sequencer in the cluster (`sequencer.py`) assigns
after commit, in order, to *settled* events: those whose writing transaction (`xid`, from
`pg_current_xact_id()` as a column default) is older than the oldest transaction still running,
so nothing can commit in front of a position once given (the transactional-outbox technique).
Events that settle together are numbered in `seq` order, which is commit order for transactions
that touch the same rows (the second waits on the first's row locks before it records its event).
On SQLite the single writer commits in `seq` order and `xid` is 0.

`fanned_out` marks an event the webhook dispatcher has already turned into deliveries.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from chargeyard.events.domain import envelope
from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base, new_id


class current_xid(FunctionElement[int]):  # noqa: N801 (named like the SQL functions it renders)
    """The writing transaction's id on PostgreSQL; 0 elsewhere."""

    type = BigInteger()
    inherit_cache = True


@compiles(current_xid, "postgresql")
def _current_xid_postgresql(_element: current_xid, _compiler: SQLCompiler, **_kw: Any) -> str:
    return "(pg_current_xact_id()::text::bigint)"


@compiles(current_xid)
def _current_xid_other(_element: current_xid, _compiler: SQLCompiler, **_kw: Any) -> str:
    return "0"


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
    xid: Mapped[int] = mapped_column(BigInteger, server_default=current_xid())
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
