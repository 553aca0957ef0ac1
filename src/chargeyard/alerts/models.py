"""Alert tables: alerts with their notes, each organization's rule settings, and the evaluator's
cursor in the event log.

`open_key` holds the alert's key (organization, rule, subject; `domain.Subject.key`) while it is
not resolved, and NULL after: the unique constraint keeps one open alert per condition, even if
two evaluators overlapped for a moment while the lease changed hands.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chargeyard.storage.base import Base, Tracked, uuid_pk


class Alert(Tracked, Base):
    __tablename__ = "alerts"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    category: Mapped[str] = mapped_column(String(32))
    urgency: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    evse_id: Mapped[int | None]
    connector_id: Mapped[int | None]
    transaction_id: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    open_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    awaiting_report_since: Mapped[datetime | None] = mapped_column(index=True)
    """A 2.x `Problem` alert: the accepted boot after which the station has not reported the
    Problem again yet; NULL once it has, and for every other alert (migration 0026)."""

    notes: Mapped[list["AlertNote"]] = relationship(
        lazy="raise", order_by="AlertNote.created_at", cascade="all, delete-orphan"
    )


class AlertNote(Base):
    __tablename__ = "alert_notes"

    id: Mapped[str] = uuid_pk()
    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]


class AlertRuleSetting(Tracked, Base):
    """An organization's changes to one rule; a rule without a row runs with its defaults."""

    __tablename__ = "alert_rules"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    threshold_s: Mapped[int | None]
    urgency: Mapped[str | None] = mapped_column(String(16))
    fraction: Mapped[float | None]
    """A rule's share of a limit (`power-below-limit`); migration 0016."""


class AlertCursor(Base):
    """How far the evaluator has read the event log (a `position`), moved in the same
    transaction as the alerts it raised: after a crash or a lease handover, each event is
    judged exactly once."""

    __tablename__ = "alert_cursor"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)


class AlertWatch(Base):
    """A condition a swept rule is timing (`alerts/conditions.py`): since when it holds, the
    value that must not change for it to go on, and the alert raised for it, if any. One row per
    condition that holds now; deleted when it ends."""

    __tablename__ = "alert_watches"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(64))
    since: Mapped[datetime]
    value: Mapped[str | None] = mapped_column(String(64))
    alert_id: Mapped[str | None] = mapped_column(String(32))
    transaction_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    """The session the condition concerns: reconciliation reads meter-stalled watches by it."""
