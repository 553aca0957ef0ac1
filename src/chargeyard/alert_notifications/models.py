"""Alert notification tables: each organization's e-mail channel and per-rule choices, the queue of alert
happenings waiting for their digest, and the digests (the outbox the mailer sends from)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class AlertMailChannel(Tracked, Base):
    """An organization's e-mail channel; no row: e-mail is off."""

    __tablename__ = "alert_mail_channels"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)


class AlertRuleChannel(Tracked, Base):
    """One rule's channels in an organization; no row: mailed to the channel's recipients and
    carried by webhooks."""

    __tablename__ = "alert_rule_channels"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[bool] = mapped_column(default=True)
    recipients: Mapped[list[str] | None] = mapped_column(JSON)
    webhook: Mapped[bool] = mapped_column(default=True)


class AlertMailItem(Base):
    """An alert raised or resolved, queued for a digest (`mail_id` NULL until gathered into one).
    Written in the transaction that moves the mailer's cursor past its event: queued once."""

    __tablename__ = "alert_mail_items"
    __table_args__ = (Index("ix_alert_mail_items_waiting", "mail_id", "queued_at"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    recipients: Mapped[list[str]] = mapped_column(JSON)
    group_key: Mapped[str] = mapped_column(String(64))
    alert_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    urgency: Mapped[str] = mapped_column(String(16))
    station_id: Mapped[str] = mapped_column(String(64))
    evse_id: Mapped[int | None]
    connector_id: Mapped[int | None]
    at: Mapped[datetime]
    queued_at: Mapped[datetime]
    mail_id: Mapped[str | None] = mapped_column(String(32))


class AlertMail(Tracked, Base):
    """A digest: composed once (a resend after a crash is the same message, with the same
    Message-ID), then sent until it is `Sent` or given up as `Failed`."""

    __tablename__ = "alert_mails"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipients: Mapped[list[str]] = mapped_column(JSON)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    """The same digest as HTML, sent as the alternative to `body` (migration 0016; a digest
    composed before it has none and goes as plain text)."""
    alerts: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]
