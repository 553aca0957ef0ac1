"""All SQL about alert notifications: an organization's e-mail channel, rule choices and digests
(scoped), the webhook fan-out's muted alert events, and the mailer's unscoped reads and writes
(its cursor in the event log, the queue, the outbox)."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.alert_notifications.domain import WEBHOOK_EVENTS, MailStatus, alert_of
from chargeyard.alert_notifications.models import (
    AlertMail,
    AlertMailChannel,
    AlertMailItem,
    AlertRuleChannel,
)
from chargeyard.events.models import Event
from chargeyard.organizations.models import Organization
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import Page, PageResult, ScopedRepository

ACROSS_ORGANIZATIONS = (
    "the alert mailer sends every organization's digests; each row names its organization"
)

CURSOR = "alert_mail"
"""The mailer's row in `alert_cursor` (beside the evaluator's)."""


class ChannelRepository(ScopedRepository[AlertMailChannel]):
    model = AlertMailChannel
    noun = "Alert e-mail channel"

    async def current(self) -> AlertMailChannel | None:
        return (await self.session.execute(self.query())).scalars().first()


class RuleChannelRepository(ScopedRepository[AlertRuleChannel]):
    model = AlertRuleChannel
    noun = "Alert rule e-mail"

    async def all(self) -> Sequence[AlertRuleChannel]:
        return (await self.session.execute(self.query())).scalars().all()

    async def named(self, name: str) -> AlertRuleChannel | None:
        statement = self.query().where(AlertRuleChannel.name == name)
        return (await self.session.execute(statement)).scalars().first()


class MailRepository(ScopedRepository[AlertMail]):
    model = AlertMail
    noun = "Alert e-mail"

    async def search(self, status: str | None, page: Page) -> PageResult[AlertMail]:
        statement = self.query()
        if status is not None:
            statement = statement.where(AlertMail.status == status)
        return await self.page(
            statement, page, order_by=[AlertMail.created_at.desc(), AlertMail.id]
        )


async def channels_of(
    session: AsyncSession, organizations: Collection[str]
) -> dict[str, AlertMailChannel]:
    statement = select(AlertMailChannel).where(
        AlertMailChannel.organization_id.in_(list(organizations))
    )
    return {row.organization_id: row for row in (await session.execute(statement)).scalars()}


async def rule_channels_of(
    session: AsyncSession, organizations: Collection[str]
) -> dict[tuple[str, str], AlertRuleChannel]:
    statement = select(AlertRuleChannel).where(
        AlertRuleChannel.organization_id.in_(list(organizations))
    )
    rows = (await session.execute(statement)).scalars()
    return {(row.organization_id, row.name): row for row in rows}


async def webhook_muted(session: AsyncSession, events: Sequence[tuple[int, str, str]]) -> set[int]:
    """Of these events (seq, organization, type), the alert events of rules their organization
    took off webhooks (the webhook fan-out skips them). No alert event, or no rule taken off:
    one query at most, none for a batch without alert events."""
    alerts = [(seq, organization) for seq, organization, type in events if type in WEBHOOK_EVENTS]
    if not alerts:
        return set()
    off = select(AlertRuleChannel.organization_id, AlertRuleChannel.name).where(
        AlertRuleChannel.webhook.is_(False),
        AlertRuleChannel.organization_id.in_({organization for _, organization in alerts}),
    )
    rules_off = {(row[0], row[1]) for row in (await session.execute(off)).all()}
    if not rules_off:
        return set()
    statement = select(Event.seq, Event.organization_id, Event.type, Event.data).where(
        Event.seq.in_([seq for seq, _ in alerts])
    )
    held = set()
    for seq, organization, type, data in (await session.execute(statement)).all():
        alert = alert_of(type, data)
        if alert is not None and (organization, alert["name"]) in rules_off:
            held.add(seq)
    return held


@across_organizations(ACROSS_ORGANIZATIONS)
async def has_waiting(session: AsyncSession) -> bool:
    found = await session.scalar(
        select(AlertMailItem.id).where(AlertMailItem.mail_id.is_(None)).limit(1)
    )
    return found is not None


@across_organizations(ACROSS_ORGANIZATIONS)
async def waiting(session: AsyncSession, limit: int) -> Sequence[AlertMailItem]:
    """Queued happenings not in a digest yet, oldest first."""
    statement = (
        select(AlertMailItem)
        .where(AlertMailItem.mail_id.is_(None))
        .order_by(AlertMailItem.queued_at, AlertMailItem.id)
        .limit(limit)
    )
    return (await session.execute(statement)).scalars().all()


def queue_item(session: AsyncSession, item: AlertMailItem) -> AlertMailItem:
    """An alert event waiting for its digest; the item names its organization."""
    session.add(item)
    return item


def add_mail(session: AsyncSession, mail: AlertMail) -> AlertMail:
    """A digest to send; it names its organization."""
    session.add(mail)
    return mail


@across_organizations(ACROSS_ORGANIZATIONS)
async def attach(session: AsyncSession, mail_id: str, item_ids: Collection[str]) -> None:
    await session.execute(
        update(AlertMailItem).where(AlertMailItem.id.in_(list(item_ids))).values(mail_id=mail_id)
    )


async def organization_names(session: AsyncSession, ids: Collection[str]) -> dict[str, str]:
    statement = select(Organization.id, Organization.name).where(Organization.id.in_(list(ids)))
    return {row[0]: row[1] for row in (await session.execute(statement)).all()}


@across_organizations(ACROSS_ORGANIZATIONS)
async def due_mails(session: AsyncSession, now: datetime, limit: int) -> Sequence[AlertMail]:
    statement = (
        select(AlertMail)
        .where(AlertMail.status == MailStatus.PENDING.value, AlertMail.next_attempt_at <= now)
        .order_by(AlertMail.next_attempt_at, AlertMail.id)
        .limit(limit)
    )
    return (await session.execute(statement)).scalars().all()


@across_organizations(ACROSS_ORGANIZATIONS)
async def mark_sent(session: AsyncSession, mail_id: str, now: datetime) -> bool:
    """Mark a pending digest sent; False when it was not pending any more (another sender
    marked it during a lease handover): marking is idempotent."""
    result = await session.execute(
        update(AlertMail)
        .where(AlertMail.id == mail_id, AlertMail.status == MailStatus.PENDING.value)
        .values(
            status=MailStatus.SENT.value,
            sent_at=now,
            attempts=AlertMail.attempts + 1,
            last_error=None,
            next_attempt_at=None,
            updated_at=now,
            revision=AlertMail.revision + 1,
        )
    )
    return bool(getattr(result, "rowcount", 0))


@across_organizations(ACROSS_ORGANIZATIONS)
async def mark_failed(session: AsyncSession, mail_id: str, values: dict[str, Any]) -> bool:
    """Record a failed attempt (`values`: attempts, status, next attempt, error) of a digest
    that is still pending."""
    result = await session.execute(
        update(AlertMail)
        .where(AlertMail.id == mail_id, AlertMail.status == MailStatus.PENDING.value)
        .values(**values, revision=AlertMail.revision + 1)
    )
    return bool(getattr(result, "rowcount", 0))
