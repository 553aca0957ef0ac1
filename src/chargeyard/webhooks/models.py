"""Webhook tables: subscriptions, the delivery queue (state that survives restarts), the log.

`webhook_deliveries` is the queue: one row per event owed to a subscription, leased by the node
that is sending it (`lease_owner`, `lease_until`), so several nodes can share the work and a node
that dies only delays its leased rows. `webhook_attempts` is the log the API shows.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.security.sealing import Sealer
from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base, Tracked, uuid_pk
from chargeyard.storage.stamps import stamp


class WebhookSubscription(Tracked, Base):
    __tablename__ = "webhook_subscriptions"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    url: Mapped[str] = mapped_column(String(2048))
    events: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str | None] = mapped_column(String(500))
    enabled: Mapped[bool] = mapped_column(default=True)
    secret: Mapped[str] = mapped_column(String(200))
    """Sealed under the server key (`security/sealing.py`), as is `previous_secret`."""
    previous_secret: Mapped[str | None] = mapped_column(String(200))
    previous_secret_expires_at: Mapped[datetime | None]
    after_seq: Mapped[int] = mapped_column(BigId, default=0)
    """The last event `position` (not `seq`, despite the name) when the subscription was made:
    it receives the events sequenced after that."""
    last_success_at: Mapped[datetime | None]
    failing_since: Mapped[datetime | None]
    disabled_reason: Mapped[str | None] = mapped_column(String(500))

    def live_secrets(self, now: datetime, sealer: Sealer) -> list[str]:
        """The secrets that sign a message sent now: the current one, and the old one in grace."""
        live = [sealer.open(self.secret, self.id)]
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > now:
            live.append(sealer.open(self.previous_secret, self.id))
        return live


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_lane", "status", "subscription_id", "lane", "event_seq"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    event_seq: Mapped[int] = mapped_column(BigId, index=True)
    event_id: Mapped[str] = mapped_column(String(32))
    lane: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=stamp)
    first_attempt_at: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=stamp)
    completed_at: Mapped[datetime | None]


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    subscription_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    delivery_id: Mapped[int | None] = mapped_column(BigId)
    event_id: Mapped[str] = mapped_column(String(32), index=True)
    event_type: Mapped[str] = mapped_column(String(64))
    attempt: Mapped[int]
    attempted_at: Mapped[datetime] = mapped_column(index=True)
    request_url: Mapped[str] = mapped_column(String(2048))
    request_headers: Mapped[dict[str, Any]] = mapped_column(JSON)
    request_body: Mapped[str] = mapped_column(Text)
    response_status: Mapped[int | None]
    response_body: Mapped[str | None] = mapped_column(Text)
    latency_ms: Mapped[float]
    error: Mapped[str | None] = mapped_column(String(500))
    success: Mapped[bool]
