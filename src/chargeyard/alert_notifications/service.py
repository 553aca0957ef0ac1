"""Alert notification use cases: an organization's e-mail channel and rule choices (admins),
queueing alert happenings for their digest and gathering due groups into digests (what the
mailer does). Never commits."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from chargeyard.alert_notifications import repository
from chargeyard.alert_notifications.domain import (
    EVENT_KINDS,
    Channel,
    Happening,
    Kind,
    Links,
    MailStatus,
    RuleChannel,
    addressees,
    alert_of,
    compose,
    digest_due,
    group_key,
    recipients,
)
from chargeyard.alert_notifications.models import (
    AlertMail,
    AlertMailChannel,
    AlertMailItem,
    AlertRuleChannel,
)
from chargeyard.alert_notifications.repository import ChannelRepository, RuleChannelRepository
from chargeyard.alerts.domain import RULES, RuleName, rule_named
from chargeyard.alerts.repository import JudgedEvent
from chargeyard.clock import Clock
from chargeyard.events.payloads import ALERT_NOTIFICATIONS_UPDATED, AlertNotificationsUpdated
from chargeyard.events.recorder import record_event
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork

GATHER_BATCH = 20_000


def channel_of(row: AlertMailChannel | None) -> Channel:
    return Channel() if row is None else Channel(row.enabled, tuple(row.recipients))


def rule_channel_of(row: AlertRuleChannel | None) -> RuleChannel:
    if row is None:
        return RuleChannel()
    listed = None if row.recipients is None else tuple(row.recipients)
    return RuleChannel(row.email, listed, row.webhook)


class ChannelService:
    """An organization's alert notification channels."""

    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.channels = ChannelRepository(uow.session, organization_id)
        self.rule_rows = RuleChannelRepository(uow.session, organization_id)

    async def current(self) -> tuple[Channel, dict[RuleName, RuleChannel]]:
        """The channel and every rule's choice (defaults included)."""
        rows = {row.name: row for row in await self.rule_rows.all()}
        rules = {name: rule_channel_of(rows.get(name.value)) for name in RULES}
        return channel_of(await self.channels.current()), rules

    async def update_channel(self, changes: dict[str, Any]) -> Channel:
        row = await self.channels.current()
        if row is None:
            row = AlertMailChannel(
                organization_id=self.organization_id, enabled=False, recipients=[], revision=1
            )
            self.channels.add(row)
        if "recipients" in changes:
            row.recipients = recipients(changes["recipients"])
        if "enabled" in changes:
            row.enabled = changes["enabled"]
        row.touch()
        self._event("channel", sorted(changes))
        return channel_of(row)

    async def update_rule(self, name: str, changes: dict[str, Any]) -> RuleChannel:
        """`recipients` None: the channel's recipients again."""
        rule = rule_named(name)
        row = await self.rule_rows.named(rule.name.value)
        if row is None:
            row = AlertRuleChannel(
                organization_id=self.organization_id,
                name=rule.name.value,
                email=True,
                recipients=None,
                webhook=True,
                revision=1,
            )
            self.rule_rows.add(row)
        if "recipients" in changes:
            listed = changes["recipients"]
            row.recipients = None if listed is None else recipients(listed)
        for field in ("email", "webhook"):
            if field in changes:
                setattr(row, field, changes[field])
        row.touch()
        self._event(rule.name.value, sorted(changes))
        return rule_channel_of(row)

    def _event(self, scope: str, changed: list[str]) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=ALERT_NOTIFICATIONS_UPDATED,
            occurred_at=self.clock(),
            data=AlertNotificationsUpdated({"scope": scope, "changed": changed}),
        )


async def queue(
    uow: UnitOfWork, events: Sequence[JudgedEvent], now: datetime, max_age_s: float
) -> int:
    """Queue the alert events that somebody is to be mailed about; answers how many items."""
    organizations = {event.organization_id for event in events}
    channels = await repository.channels_of(uow.session, organizations)
    rules = await repository.rule_channels_of(uow.session, organizations)
    oldest = now - timedelta(seconds=max_age_s)
    queued = 0
    for event in events:
        kind = EVENT_KINDS.get(event.type)
        alert = alert_of(event.type, event.data)
        if kind is None or alert is None or event.occurred_at < oldest:
            continue
        name = alert["name"]
        channel = channel_of(channels.get(event.organization_id))
        to = addressees(channel, rule_channel_of(rules.get((event.organization_id, name))))
        if not to:
            continue
        repository.queue_item(
            uow.session,
            AlertMailItem(
                id=new_id(),
                organization_id=event.organization_id,
                kind=kind.value,
                recipients=list(to),
                group_key=group_key(to),
                alert_id=alert["alert_id"],
                name=name,
                urgency=alert["urgency"],
                station_id=alert["station_id"],
                evse_id=alert["evse_id"],
                connector_id=alert["connector_id"],
                at=event.occurred_at,
                queued_at=now,
            ),
        )
        queued += 1
    return queued


async def gather(
    uow: UnitOfWork, now: datetime, window_s: float, max_listed: int, links: Links | None = None
) -> int:
    """Turn every group (organization, kind, recipients) whose oldest queued happening has
    waited `window_s` into one digest, due now (linking to the dashboard with `links`); answers
    how many digests."""
    groups: dict[tuple[str, str, str], list[AlertMailItem]] = defaultdict(list)
    for item in await repository.waiting(uow.session, GATHER_BATCH):
        groups[item.organization_id, item.kind, item.group_key].append(item)
    due = {
        key: items for key, items in groups.items() if digest_due(items[0].queued_at, window_s, now)
    }
    if not due:
        return 0
    names = await repository.organization_names(uow.session, {key[0] for key in due})
    for (organization, kind, _), items in due.items():
        happenings = [
            Happening(i.name, i.urgency, i.station_id, i.evse_id, i.connector_id, i.at, i.alert_id)
            for i in items
        ]
        name = names.get(organization, organization)
        digest = compose(Kind(kind), name, happenings, max_listed, links)
        mail = AlertMail(
            id=new_id(),
            organization_id=organization,
            kind=kind,
            recipients=list(items[0].recipients),
            subject=digest.subject[:300],
            body=digest.text,
            html=digest.html,
            alerts=len(items),
            status=MailStatus.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            revision=1,
        )
        repository.add_mail(uow.session, mail)
        await uow.session.flush()
        await repository.attach(uow.session, mail.id, [item.id for item in items])
    return len(due)
