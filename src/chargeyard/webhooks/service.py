"""Webhook use cases: subscriptions, rotation, redelivery, the delivery log, disabling. Never commits."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Invalid, NotFound
from chargeyard.events.domain import check_pattern
from chargeyard.events.payloads import WEBHOOK_DISABLED, WebhookDisabled
from chargeyard.events.recorder import record_event
from chargeyard.security.sealing import Sealer, is_sealed
from chargeyard.settings import Settings
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.webhooks.domain import Outcome, OutgoingRequest
from chargeyard.webhooks.models import WebhookSubscription
from chargeyard.webhooks.repository import (
    SubscriptionRepository,
    subscriptions_with_clear_secrets,
)
from chargeyard.webhooks.signing import new_secret
from chargeyard.webhooks.targets import check_target

LOGGED_BODY_CHARS = 65_536


@dataclass(frozen=True)
class CreatedSubscription:
    """A new subscription and its secret in clear: the one moment the secret is shown."""

    subscription: WebhookSubscription
    secret: str


@dataclass(frozen=True)
class SubscriptionDraft:
    url: str
    events: list[str]
    description: str | None = None
    enabled: bool = True


def check_patterns(patterns: list[str]) -> list[str]:
    if not patterns:
        raise Invalid("events lists at least one event type or pattern ('*' for all)")
    return [check_pattern(p) for p in dict.fromkeys(patterns)]


class WebhookService:
    def __init__(
        self,
        uow: UnitOfWork,
        organization_id: str,
        clock: Clock,
        settings: Settings,
        sealer: Sealer,
    ) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.settings = settings
        self.sealer = sealer
        self.subscriptions = SubscriptionRepository(uow.session, organization_id)

    async def create(self, draft: SubscriptionDraft) -> CreatedSubscription:
        await check_target(draft.url, self.settings.webhooks_allow_private_targets)
        secret = new_secret()
        sub_id = new_id()
        sub = WebhookSubscription(
            id=sub_id,
            organization_id=self.organization_id,
            url=draft.url,
            events=check_patterns(draft.events),
            description=draft.description,
            enabled=draft.enabled,
            secret=self.sealer.seal(secret, sub_id),
            after_seq=await self.subscriptions.last_event_position(),
            revision=1,
        )
        return CreatedSubscription(self.subscriptions.add(sub), secret)

    async def update(self, sub: WebhookSubscription, changes: dict[str, Any]) -> None:
        if "url" in changes:
            await check_target(changes["url"], self.settings.webhooks_allow_private_targets)
        if "events" in changes:
            changes["events"] = check_patterns(changes["events"])
        if changes.get("enabled") and not sub.enabled:
            await self.subscriptions.hold_sequencing()  # see `last_event_position`
            sub.disabled_reason = None
            sub.failing_since = None
        for name, value in changes.items():
            setattr(sub, name, value)
        sub.touch()

    async def rotate_secret(self, sub: WebhookSubscription) -> str:
        """A new secret, returned in clear this once; the old one keeps signing beside it for the
        grace period. Both stay sealed at rest."""
        now = self.clock()
        sub.previous_secret = sub.secret
        sub.previous_secret_expires_at = now + timedelta(
            seconds=self.settings.webhooks_secret_grace_s
        )
        secret = new_secret()
        sub.secret = self.sealer.seal(secret, sub.id)
        sub.touch()
        return secret

    async def redeliver(
        self,
        sub: WebhookSubscription,
        event_id: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> int:
        if event_id is not None:
            event = await self.subscriptions.event(event_id)
            if event is None:
                raise NotFound(f"Event {event_id!r} does not exist")
            events = [event]
        elif since is not None or until is not None:
            events = await self.subscriptions.events_between(since, until, sub.events)
        else:
            raise Invalid("name an event_id, or a time range with since and/or until")
        return await self.subscriptions.enqueue(sub, events, self.clock())


def attempt_values(
    subscription_id: str,
    delivery_id: int | None,
    attempt: int,
    event_id: str,
    event_type: str,
    attempted_at: datetime,
    request: OutgoingRequest,
    outcome: Outcome,
) -> dict[str, Any]:
    """One row of the delivery log: what was sent, what came back, how long it took."""
    return {
        "subscription_id": subscription_id,
        "delivery_id": delivery_id,
        "event_id": event_id,
        "event_type": event_type,
        "attempt": attempt,
        "attempted_at": attempted_at,
        "request_url": request.url,
        "request_headers": request.headers,
        "request_body": request.body[:LOGGED_BODY_CHARS].decode(errors="replace"),
        "response_status": outcome.status_code,
        "response_body": outcome.response_body,
        "latency_ms": outcome.latency_ms,
        "error": outcome.error,
        "success": outcome.ok,
    }


def disable(uow: UnitOfWork, sub: WebhookSubscription, reason: str, now: datetime) -> None:
    """Stop delivering to a subscription that keeps failing, and say so with an event."""
    sub.enabled = False
    sub.disabled_reason = reason
    sub.touch()
    record_event(
        uow,
        organization_id=sub.organization_id,
        kind=WEBHOOK_DISABLED,
        occurred_at=now,
        data=WebhookDisabled({"webhook_id": sub.id, "url": sub.url, "reason": reason}),
    )


async def seal_clear_secrets(uow: UnitOfWork, sealer: Sealer) -> int:
    """Seal the secrets stored in clear before sealing existed; say how many rows changed.
    `chargeyard serve` runs it at start: the migration that made secrets sealed cannot, as it
    runs without the server key. Idempotent, so every worker of a cluster may run it."""
    rows = await subscriptions_with_clear_secrets(uow.session)
    for sub in rows:
        if not is_sealed(sub.secret):
            sub.secret = sealer.seal(sub.secret, sub.id)
        if sub.previous_secret is not None and not is_sealed(sub.previous_secret):
            sub.previous_secret = sealer.seal(sub.previous_secret, sub.id)
    return len(rows)
