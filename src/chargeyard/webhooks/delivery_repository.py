"""All SQL of the dispatcher, across organizations: fan-out, claiming lanes, recording outcomes.

Fan-out turns sequenced events (see `events/sequencer.py`) not yet `fanned_out` into deliveries
for every enabled subscription that wants them, in position (commit) order, so a lane's
deliveries are queued in the order their events committed; one fan-out runs at a time (the `webhooks.fan_out` lease, and
on PostgreSQL a transaction-level advisory lock as well, should two nodes ever overlap).
Claiming leases the oldest pending deliveries of each lane whose head is due. On PostgreSQL claims
lock the subscription rows `FOR UPDATE SKIP LOCKED`, so two nodes never lease parts of the same
lane; on SQLite the database's single writer serialises them.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.alert_notifications.repository import webhook_muted
from chargeyard.events.domain import matches_any
from chargeyard.events.models import Event
from chargeyard.security.sealing import Sealer
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.webhooks.domain import DeliveryStatus, encode
from chargeyard.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from chargeyard.webhooks.repository import delivery_values

ACROSS_ORGANIZATIONS = (
    "the webhook dispatcher fans out and delivers every organization's events; each job keeps"
    " its subscription's organization"
)

D = WebhookDelivery
S = WebhookSubscription
FAN_OUT_LOCK = 0x63795F776866  # any constant: the advisory lock key of the fan-out


@dataclass(frozen=True)
class Job:
    delivery_id: int
    attempt: int
    event_id: str
    event_type: str
    body: bytes
    first_attempt_at: datetime | None


@dataclass(frozen=True)
class Lane:
    subscription_id: str
    url: str
    secrets: tuple[str, ...]
    jobs: tuple[Job, ...]


def body_of(event: Event) -> bytes:
    return encode(event.envelope())


class DeliveryQueue:
    def __init__(self, session: AsyncSession, sealer: Sealer, *, skip_locked: bool) -> None:
        self.session = session
        self.sealer = sealer
        self.skip_locked = skip_locked

    def _unfanned(self) -> ColumnElement[bool]:
        return and_(Event.fanned_out.is_(False), Event.position.is_not(None))

    async def has_unfanned(self) -> bool:
        return bool(await self.session.scalar(select(exists().where(self._unfanned()))))

    @across_organizations(ACROSS_ORGANIZATIONS)
    async def fan_out(self, now: datetime, limit: int = 500) -> tuple[int, int]:
        """(events fanned out, deliveries created)."""
        if self.skip_locked:  # PostgreSQL: another fan-out is running; it will take these too
            locked = text("SELECT pg_try_advisory_xact_lock(:key)").bindparams(key=FAN_OUT_LOCK)
            if not await self.session.scalar(locked):
                return 0, 0
        statement = (
            select(
                Event.seq,
                Event.position,
                Event.id,
                Event.organization_id,
                Event.type,
                Event.station_id,
            )
            .where(self._unfanned())
            .order_by(Event.position)
            .limit(limit)
        )
        events = (await self.session.execute(statement)).all()
        if not events:
            return 0, 0
        subscriptions = await self._enabled_of({e.organization_id for e in events})
        # Alert events of rules an organization took off webhooks (docs/alerts.md).
        muted = await webhook_muted(
            self.session, [(e.seq, e.organization_id, e.type) for e in events]
        )
        owed = [
            delivery_values(sub.id, event.seq, event.id, event.station_id, now)
            for event in events
            if event.seq not in muted
            for sub in subscriptions.get(event.organization_id, ())
            if event.position > sub.after_seq and matches_any(sub.events, event.type)
        ]
        if owed:
            await self.session.execute(insert(D), owed)
        await self.session.execute(
            update(Event).where(Event.seq.in_([e.seq for e in events])).values(fanned_out=True)
        )
        return len(events), len(owed)

    async def _enabled_of(self, organizations: set[str]) -> dict[str, list[WebhookSubscription]]:
        rows = await self.session.execute(
            select(S).where(S.enabled.is_(True), S.organization_id.in_(organizations))
        )
        by_org: dict[str, list[WebhookSubscription]] = defaultdict(list)
        for sub in rows.scalars():
            by_org[sub.organization_id].append(sub)
        return by_org

    def _due(self, now: datetime) -> ColumnElement[bool]:
        return and_(
            D.status == DeliveryStatus.PENDING,
            D.next_attempt_at <= now,
            or_(D.lease_until.is_(None), D.lease_until < now),
        )

    async def has_due(self, now: datetime) -> bool:
        statement = select(exists().where(self._due(now), D.subscription_id == S.id, S.enabled))
        return bool(await self.session.scalar(statement))

    async def claim(
        self, owner: str, now: datetime, lease_until: datetime, max_lanes: int, per_lane: int
    ) -> list[Lane]:
        subscriptions = await self._claimable(now, max_lanes)
        if not subscriptions:
            return []
        heads = await self._lane_prefixes(list(subscriptions), per_lane)
        lanes: list[Lane] = []
        for rows in heads:
            head = rows[0]
            if head.next_attempt_at > now or (head.lease_until and head.lease_until >= now):
                continue
            chosen = [r for r in rows if r.next_attempt_at <= now and r.lease_owner is None]
            chosen = chosen[: _prefix_length(rows, chosen)]
            for row in chosen:
                row.lease_owner, row.lease_until = owner, lease_until
            sub = subscriptions[head.subscription_id]
            lanes.append(
                Lane(
                    sub.id,
                    sub.url,
                    tuple(sub.live_secrets(now, self.sealer)),
                    await self._jobs(chosen),
                )
            )
            if len(lanes) >= max_lanes:
                break
        return lanes

    @across_organizations(ACROSS_ORGANIZATIONS)
    async def _claimable(self, now: datetime, limit: int) -> dict[str, WebhookSubscription]:
        due = select(D.subscription_id).where(self._due(now))
        statement = select(S).where(S.enabled.is_(True), S.id.in_(due)).limit(limit)
        if self.skip_locked:
            statement = statement.with_for_update(skip_locked=True)
        return {sub.id: sub for sub in (await self.session.execute(statement)).scalars()}

    async def _lane_prefixes(
        self, subscription_ids: list[str], per_lane: int
    ) -> list[list[WebhookDelivery]]:
        rank = (
            func.row_number()
            .over(partition_by=(D.subscription_id, D.lane), order_by=D.id)
            .label("rank")
        )
        ranked = (
            select(D.id, rank)
            .where(D.status == DeliveryStatus.PENDING, D.subscription_id.in_(subscription_ids))
            .subquery()
        )
        statement = (
            select(D)
            .join(ranked, ranked.c.id == D.id)
            .where(ranked.c.rank <= per_lane)
            .order_by(D.subscription_id, D.lane, D.id)
        )
        lanes: dict[tuple[str, str], list[WebhookDelivery]] = defaultdict(list)
        for row in (await self.session.execute(statement)).scalars():
            lanes[(row.subscription_id, row.lane)].append(row)
        return list(lanes.values())

    @across_organizations(ACROSS_ORGANIZATIONS)
    async def _jobs(self, rows: Sequence[WebhookDelivery]) -> tuple[Job, ...]:
        events = await self.session.execute(
            select(Event).where(Event.seq.in_([r.event_seq for r in rows]))
        )
        by_seq = {e.seq: e for e in events.scalars()}
        return tuple(
            Job(
                r.id,
                r.attempts + 1,
                r.event_id,
                by_seq[r.event_seq].type,
                body_of(by_seq[r.event_seq]),
                r.first_attempt_at,
            )
            for r in rows
            if r.event_seq in by_seq
        )

    def add_attempt(self, attempt: WebhookAttempt) -> WebhookAttempt:
        """An attempt made outside the queue (a ping); it names its subscription."""
        self.session.add(attempt)
        return attempt

    async def make_due(self, subscription_id: str, now: datetime) -> int:
        """Bring a subscription's deliveries waiting out a retry delay forward to now (its
        receiver answered again); lanes still go head first, so order holds. Leased rows are
        being sent and left alone. Answers how many were waiting."""
        result = await self.session.execute(
            update(D)
            .where(
                D.subscription_id == subscription_id,
                D.status == DeliveryStatus.PENDING,
                D.next_attempt_at > now,
                or_(D.lease_until.is_(None), D.lease_until < now),
            )
            .values(next_attempt_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def release(self, owner: str, delivery_ids: Sequence[int] | None = None) -> None:
        """Give up leases (all of a node's at its start and stop, or some unsent ones)."""
        statement = update(D).where(D.lease_owner == owner, D.status == DeliveryStatus.PENDING)
        if delivery_ids is not None:
            statement = statement.where(D.id.in_(delivery_ids))
        await self.session.execute(statement.values(lease_owner=None, lease_until=None))

    async def settle(
        self, deliveries: list[dict[str, Any]], attempts: list[dict[str, Any]]
    ) -> None:
        """Write attempts' outcomes: delivery states (by primary key) and log rows, in bulk."""
        if deliveries:
            await self.session.execute(update(D), deliveries)
        if attempts:
            await self.session.execute(insert(WebhookAttempt), attempts)

    async def pending_count(self) -> int:
        """Deliveries still to be sent (due now or waiting for a retry), in every organization."""
        statement = select(func.count()).select_from(D).where(D.status == DeliveryStatus.PENDING)
        return int(await self.session.scalar(statement) or 0)

    @across_organizations(ACROSS_ORGANIZATIONS)
    async def subscriptions(self, ids: set[str]) -> dict[str, WebhookSubscription]:
        """The subscriptions whose deliveries are recorded, locked until the unit of work ends
        and read afresh: recording may disable one that keeps failing (which raises its
        revision), so it takes turns with an operator's change guarded by If-Match instead of
        writing over it. In id order, so two recorders never deadlock; SQLite ignores the
        clause, its single writer serialising the units."""
        statement = (
            select(S)
            .where(S.id.in_(ids))
            .order_by(S.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        rows = await self.session.execute(statement)
        return {row.id: row for row in rows.scalars()}


def _prefix_length(rows: list[WebhookDelivery], chosen: list[WebhookDelivery]) -> int:
    """How many of `chosen` continue the lane unbroken from its head (order is the promise)."""
    length = 0
    for row, pick in zip(rows, chosen, strict=False):
        if row is not pick:
            break
        length += 1
    return length
