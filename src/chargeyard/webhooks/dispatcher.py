"""The background task that delivers the outbox to webhooks, at least once, in order per station.

Each round: fan sequenced events out into deliveries (only on the node holding the
`webhooks.fan_out` lease, so a cluster queues each event once and in commit order), then lease due
lanes (one per subscription and station; every node takes its share) and send each lane's
deliveries one after another, stopping at the first failure so a station's later events wait
behind it. Outcomes are written back in batches; a crash before that only means a resend
(receivers deduplicate on `webhook-id`, the event id). All state is in the database: a restarted
node first releases its own lane leases, then carries on where it stopped. Rounds are woken by
local commits (`CommitSignal`), by finished lanes, and every `webhooks_poll_s` (which is how other
nodes' events are found). A successful ping makes the subscription's held-back retries due now.
"""

import asyncio
import contextlib
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.events.domain import envelope
from chargeyard.events.payloads import WEBHOOK_PING, WebhookPing
from chargeyard.events.signal import CommitSignal, wait
from chargeyard.observability.metrics import WEBHOOK_QUEUE_DEPTH
from chargeyard.security.sealing import Sealer
from chargeyard.settings import Settings
from chargeyard.storage.base import new_id
from chargeyard.storage.database import Database
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.webhooks.delivery_repository import DeliveryQueue, Job, Lane
from chargeyard.webhooks.domain import (
    DeliveryStatus,
    Outcome,
    OutgoingRequest,
    build_request,
    encode,
    retry_delay,
    should_disable,
)
from chargeyard.webhooks.models import WebhookAttempt, WebhookSubscription
from chargeyard.webhooks.sender import Sender
from chargeyard.webhooks.service import attempt_values, disable

logger = logging.getLogger(__name__)

# Counting pending deliveries scans the queue: often enough for a dashboard, not every round.
QUEUE_DEPTH_EVERY_S = 15.0
PER_LANE = 100
FLUSH_EVERY = 50
FAN_OUT_BATCH = 500
FAN_OUT_LEASE = "webhooks.fan_out"


@dataclass(frozen=True)
class Sent:
    job: Job
    request: OutgoingRequest
    outcome: Outcome
    at: datetime


class WebhookDispatcher:
    def __init__(
        self, db: Database, settings: Settings, clock: Clock, leases: LeaseKeeper, sealer: Sealer
    ) -> None:
        self.db = db
        self.sealer = sealer
        self.leases = leases
        self.settings = settings
        self.clock = clock
        # Lanes are leased by this worker (several workers of one node must not release each
        # other's lanes when one starts or stops).
        self.owner = leases.holder
        self.sender = Sender(settings)
        self.wakeup = CommitSignal()
        self._rng = random.Random()
        self._lanes: set[asyncio.Task[None]] = set()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self.db.commit_listeners.append(self.wakeup)
        self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    async def stop(self) -> None:
        """Let lanes finish the delivery in flight, write their outcomes, release the rest."""
        self._stopping = True
        self.wakeup.fire()
        if self._task is not None:
            try:
                async with asyncio.timeout(self.settings.webhooks_timeout_s + 5):
                    await self._task  # cancelled when the deadline passes
            except TimeoutError:
                logger.warning("webhook dispatcher did not stop in time")
        with contextlib.suppress(ValueError):
            self.db.commit_listeners.remove(self.wakeup)
        await self.sender.close()

    async def _run(self) -> None:
        await self._release()
        next_depth = 0.0
        while not self._stopping:
            ticket = self.wakeup.ticket()
            try:
                await self._round()
                if time.monotonic() >= next_depth:
                    await self._measure_depth()
                    next_depth = time.monotonic() + QUEUE_DEPTH_EVERY_S
            except Exception:
                logger.exception("webhook dispatch round failed")
            await wait(ticket, self.settings.webhooks_poll_s)
        if self._lanes:
            await asyncio.gather(*self._lanes, return_exceptions=True)
        await self._release()

    async def _round(self) -> None:
        if await self.leases.acquire(FAN_OUT_LEASE):
            while await self._fan_out() == FAN_OUT_BATCH and self.leases.holds(FAN_OUT_LEASE):
                pass
        free = self.settings.webhooks_concurrency - len(self._lanes)
        if free <= 0 or self._stopping:
            return
        for lane in await self._claim(free):
            task = asyncio.create_task(self._deliver_lane(lane))
            self._lanes.add(task)
            task.add_done_callback(self._lanes.discard)

    async def _measure_depth(self) -> None:
        async with self.db.reading() as uow:
            WEBHOOK_QUEUE_DEPTH.set(await self._queue(uow).pending_count())

    def _queue(self, uow: UnitOfWork) -> DeliveryQueue:
        return DeliveryQueue(uow.session, self.sealer, skip_locked=not self.db.is_sqlite)

    async def _fan_out(self) -> int:
        async with self.db.reading() as uow:
            if not await self._queue(uow).has_unfanned():
                return 0
        async with self.db.writing() as uow:
            events, _created = await self._queue(uow).fan_out(self.clock(), FAN_OUT_BATCH)
            await uow.commit()
        return events

    async def _claim(self, max_lanes: int) -> list[Lane]:
        now = self.clock()
        async with self.db.reading() as uow:
            if not await self._queue(uow).has_due(now):
                return []
        lease_until = now + timedelta(seconds=self.settings.webhooks_lease_s)
        async with self.db.writing() as uow:
            lanes = await self._queue(uow).claim(self.owner, now, lease_until, max_lanes, PER_LANE)
            await uow.commit()
        return lanes

    async def _release(self) -> None:
        async with self.db.writing() as uow:
            await self._queue(uow).release(self.owner)
            await uow.commit()

    async def _deliver_lane(self, lane: Lane) -> None:
        sent: list[Sent] = []
        attempted = 0
        deadline = self.clock() + timedelta(seconds=self.settings.webhooks_lease_s / 2)
        try:
            for job in lane.jobs:
                if self._stopping or self.clock() > deadline:
                    break
                now = self.clock()
                request = build_request(lane.url, lane.secrets, job.event_id, job.body, now)
                outcome = await self.sender.send(request)
                logger.debug(
                    "webhook delivery %s",
                    "delivered" if outcome.ok else "failed",
                    extra={
                        "subscription_id": lane.subscription_id,
                        "event_id": job.event_id,
                        "event_type": job.event_type,
                        "attempt": job.attempt,
                        "status_code": outcome.status_code,
                        "error": outcome.error,
                    },
                )
                sent.append(Sent(job, request, outcome, now))
                attempted += 1
                if not outcome.ok:
                    break
                if len(sent) >= FLUSH_EVERY:
                    await self._record(lane.subscription_id, sent, [])
                    sent = []
        finally:
            unsent = [job.delivery_id for job in lane.jobs[attempted:]]
            try:
                await self._record(lane.subscription_id, sent, unsent)
            finally:
                self.wakeup.fire()

    async def _record(self, subscription_id: str, sent: list[Sent], unsent: list[int]) -> None:
        if not sent and not unsent:
            return
        async with self.db.writing() as uow:
            queue = self._queue(uow)
            sub = (await queue.subscriptions({subscription_id})).get(subscription_id)
            if sub is None:
                return
            await queue.settle(
                [self._settle(uow, sub, item) for item in sent],
                [
                    attempt_values(
                        sub.id,
                        item.job.delivery_id,
                        item.job.attempt,
                        item.job.event_id,
                        item.job.event_type,
                        item.at,
                        item.request,
                        item.outcome,
                    )
                    for item in sent
                ],
            )
            if unsent:
                await queue.release(self.owner, unsent)
            await uow.commit()

    def _settle(self, uow: UnitOfWork, sub: WebhookSubscription, item: Sent) -> dict[str, Any]:
        """The delivery's new state after one attempt (and the subscription's health)."""
        job, now = item.job, self.clock()
        first_attempt_at = job.first_attempt_at or item.at
        change: dict[str, Any] = {
            "id": job.delivery_id,
            "attempts": job.attempt,
            "first_attempt_at": first_attempt_at,
            "lease_owner": None,
            "lease_until": None,
            "status": DeliveryStatus.DELIVERED,
            "completed_at": now,
            "next_attempt_at": item.at,
        }
        if item.outcome.ok:
            sub.last_success_at, sub.failing_since = item.at, None
            return change
        sub.failing_since = sub.failing_since or item.at
        schedule = self.settings.webhooks_retry_schedule_s
        delay = None if item.outcome.permanent else retry_delay(job.attempt, schedule, self._rng)
        if delay is not None:
            change |= {"status": DeliveryStatus.PENDING, "completed_at": None}
            change["next_attempt_at"] = item.at + timedelta(seconds=delay)
            return change
        change["status"] = DeliveryStatus.FAILED
        if sub.enabled and should_disable(sub.last_success_at, first_attempt_at):
            reason = (
                f"event {job.event_id} failed {job.attempt} times "
                f"with no successful delivery since; last error: {_describe(item.outcome)}"
            )
            disable(uow, sub, reason[:500], now)
        return change

    async def ping(self, sub: WebhookSubscription) -> WebhookAttempt:
        """Send a `webhook.ping` now (whether or not the subscription is enabled) and log it.

        When it succeeds, the receiver is back: deliveries waiting out a retry delay (up to hours
        late in the schedule) become due now instead, still in order per station."""
        now = self.clock()
        message_id = new_id()
        body = encode(
            envelope(
                id=message_id,
                type=WEBHOOK_PING.name,
                occurred_at=now,
                organization_id=sub.organization_id,
                station_id=None,
                transaction_id=None,
                data=WebhookPing(webhook_id=sub.id),
            )
        )
        request = build_request(sub.url, sub.live_secrets(now, self.sealer), message_id, body, now)
        outcome = await self.sender.send(request)
        async with self.db.writing() as uow:
            attempt = WebhookAttempt(
                **attempt_values(
                    sub.id, None, 1, message_id, WEBHOOK_PING.name, now, request, outcome
                )
            )
            self._queue(uow).add_attempt(attempt)
            released = await self._queue(uow).make_due(sub.id, self.clock()) if outcome.ok else 0
            await uow.commit()
        if released:
            logger.info("ping of %s succeeded: %d held deliveries due now", sub.id, released)
            self.wakeup.fire()
        return attempt


def _describe(outcome: Outcome) -> str:
    return outcome.error or f"HTTP {outcome.status_code}"
