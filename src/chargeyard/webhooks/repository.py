"""SQL about one organization's subscriptions and their delivery log (tenant-scoped)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.events.domain import matches_any
from chargeyard.events.models import Event
from chargeyard.events.repository import hold_sequencing
from chargeyard.security.sealing import PREFIX as SEALED_PREFIX
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import (
    Page,
    PageResult,
    ScopedRepository,
    owned_by,
    paginate,
    within,
)
from chargeyard.webhooks.domain import DeliveryStatus, lane_of
from chargeyard.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

REDELIVERY_LIMIT = 10_000


class SubscriptionRepository(ScopedRepository[WebhookSubscription]):
    model = WebhookSubscription
    noun = "Webhook"

    async def search(self, page: Page) -> PageResult[WebhookSubscription]:
        return await self.page(self.query(), page, order_by=[WebhookSubscription.created_at])

    async def last_event_position(self) -> int:
        """A new subscription receives the events sequenced after this (see `events/models.py`).

        Waits for a sequencing batch in flight and holds the next off until the subscription is
        committed: a batch marks fanned out the events of organizations without an enabled
        subscription, so it must not number past this position on a list without this one."""
        await hold_sequencing(self.session)
        statement = select(func.max(Event.position)).where(owned_by(Event, self.organization_id))
        return int(await self.session.scalar(statement) or 0)

    async def hold_sequencing(self) -> None:
        """Before a subscription is enabled: see `last_event_position`."""
        await hold_sequencing(self.session)

    async def attempts(
        self, subscription_id: str, page: Page, event_id: str | None = None
    ) -> PageResult[WebhookAttempt]:
        statement = select(WebhookAttempt).where(WebhookAttempt.subscription_id == subscription_id)
        if event_id is not None:
            statement = statement.where(WebhookAttempt.event_id == event_id)
        return await paginate(
            self.session,
            statement,
            page,
            order_by=[WebhookAttempt.attempted_at.desc(), WebhookAttempt.id.desc()],
        )

    async def events_between(
        self, since: datetime | None, until: datetime | None, patterns: Sequence[str]
    ) -> list[Event]:
        statement = within(
            select(Event).where(owned_by(Event, self.organization_id)),
            Event.occurred_at,
            since,
            until,
        )
        rows = await self.session.execute(statement.order_by(Event.seq).limit(REDELIVERY_LIMIT))
        return [e for e in rows.scalars() if matches_any(patterns, e.type)]

    async def event(self, event_id: str) -> Event | None:
        statement = select(Event).where(owned_by(Event, self.organization_id), Event.id == event_id)
        return (await self.session.execute(statement)).scalars().first()

    async def enqueue(
        self, subscription: WebhookSubscription, events: Sequence[Event], now: datetime
    ) -> int:
        """Owe these events to the subscription again, unless they are owed already."""
        pending = await self.session.execute(
            select(WebhookDelivery.event_seq).where(
                WebhookDelivery.subscription_id == subscription.id,
                WebhookDelivery.status == DeliveryStatus.PENDING,
                WebhookDelivery.event_seq.in_([e.seq for e in events]),
            )
        )
        owed = set(pending.scalars())
        fresh = [e for e in events if e.seq not in owed]
        if fresh:
            await self.session.execute(
                insert(WebhookDelivery),
                [delivery_values(subscription.id, e.seq, e.id, e.station_id, now) for e in fresh],
            )
        return len(fresh)

    def log(self, attempt: WebhookAttempt) -> None:
        self.session.add(attempt)


def delivery_values(
    subscription_id: str, event_seq: int, event_id: str, station_id: str | None, now: datetime
) -> dict[str, Any]:
    """A new pending delivery of one event to one subscription, due now."""
    return {
        "subscription_id": subscription_id,
        "event_seq": event_seq,
        "event_id": event_id,
        "lane": lane_of(station_id),
        "status": DeliveryStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


@across_organizations(
    "run once at start-up to seal every organization's webhook secrets that predate sealing"
)
async def subscriptions_with_clear_secrets(
    session: AsyncSession,
) -> Sequence[WebhookSubscription]:
    """Every organization's subscriptions whose secret predates sealing (unscoped: run once at
    start by `service.seal_clear_secrets`, not on behalf of any caller)."""
    result = await session.execute(
        select(WebhookSubscription).where(
            or_(
                ~WebhookSubscription.secret.startswith(SEALED_PREFIX),
                and_(
                    WebhookSubscription.previous_secret.is_not(None),
                    ~WebhookSubscription.previous_secret.startswith(SEALED_PREFIX),
                ),
            )
        )
    )
    return result.scalars().all()
