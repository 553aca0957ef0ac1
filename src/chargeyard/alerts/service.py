"""Alert use cases: what operators do (acknowledge, resolve with a note, add notes, tune rules)
and what the evaluator does (raise and resolve from rules' verdicts). Never commits.

Raising and resolving work across organizations at once, because the evaluator judges a batch of
the whole event log in one transaction; every alert row still carries its organization, and the
events it records go to that organization's log.
"""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from chargeyard.alerts import repository
from chargeyard.alerts.conditions import Condition, Plan, alerted, plan
from chargeyard.alerts.domain import (
    RULES,
    AlertStatus,
    Clear,
    Measure,
    Raise,
    Renew,
    RuleName,
    RuleSettings,
    Subject,
    Urgency,
    Verdict,
    away_long_enough,
    below_limit,
    check_fraction,
    check_threshold,
    manual_transition,
    renewed_by_boot,
    report_overdue,
    rule_named,
)
from chargeyard.alerts.models import Alert, AlertNote, AlertRuleSetting
from chargeyard.alerts.repository import AlertRepository, AlertRuleRepository, Away
from chargeyard.clock import Clock
from chargeyard.error_codes.service import translations
from chargeyard.errors import Forbidden
from chargeyard.events.payloads import (
    ALERT_ACKNOWLEDGED,
    ALERT_RESOLVED,
    ALERT_RULE_UPDATED,
    ALERT_TRIGGERED,
    AlertChanged,
    AlertRuleUpdated,
    EventKind,
)
from chargeyard.events.recorder import record_event
from chargeyard.maintenance_windows.repository import in_maintenance
from chargeyard.reconciliation.domain import zombie
from chargeyard.reconciliation.repository import suspect_sessions
from chargeyard.site_scopes.scope import site_scope_of
from chargeyard.storage.base import new_id
from chargeyard.storage.session import AsyncSession
from chargeyard.storage.unit_of_work import UnitOfWork

SYSTEM = "system"
"""Who resolved an alert whose condition cleared by itself."""
REBOOT = "reboot"
"""Who resolved a 2.x Problem the station did not report again after it rebooted."""


def settings_from(row: AlertRuleSetting | None, name: RuleName) -> RuleSettings:
    rule = RULES[name]
    if row is None:
        return RuleSettings(rule)
    urgency = None if row.urgency is None else Urgency(row.urgency)
    return RuleSettings(rule, row.enabled, row.threshold_s, urgency, row.fraction)


class AlertService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.alerts = AlertRepository(uow.session, organization_id)
        self.rule_rows = AlertRuleRepository(uow.session, organization_id)

    async def change(
        self, alert: Alert, status: AlertStatus | None, note: str | None, actor: str
    ) -> Alert:
        """An operator's step in the workflow, with an optional note (required to resolve)."""
        current = AlertStatus(alert.status)
        wanted = manual_transition(current, status, note)
        now = self.clock()
        if note:
            changed = None if wanted is current else wanted.value
            alert.notes.append(
                AlertNote(id=new_id(), author=actor, text=note, status=changed, created_at=now)
            )
        if wanted is AlertStatus.ACKNOWLEDGED and current is AlertStatus.TRIGGERED:
            alert.status, alert.acknowledged_at = wanted.value, now
            _event(self.uow, ALERT_ACKNOWLEDGED, alert, now)
        elif wanted is AlertStatus.RESOLVED and current is not AlertStatus.RESOLVED:
            resolve(self.uow, alert, now, actor)
        alert.touch()
        return alert

    async def rules(self) -> list[RuleSettings]:
        rows = {row.name: row for row in await self.rule_rows.all()}
        return [settings_from(rows.get(name.value), name) for name in RULES]

    async def update_rule(self, name: str, changes: dict[str, Any]) -> RuleSettings:
        """Change an organization's rule; only the fields sent change (None clears a threshold
        or urgency back to the rule's default). A rule is the whole organization's (one offline
        threshold for every site): a user confined to sites cannot change it, through the REST
        API or the dashboard alike."""
        if site_scope_of(self.organization_id) is not None:
            raise Forbidden(
                "alert rules cover the whole organization; a site-scoped user reads them"
            )
        rule = rule_named(name)
        if "threshold_s" in changes:
            check_threshold(rule, changes["threshold_s"])
        if "fraction" in changes:
            check_fraction(rule, changes["fraction"])
        row = await self.rule_rows.named(rule.name.value)
        if row is None:
            row = AlertRuleSetting(
                organization_id=self.organization_id, name=rule.name.value, enabled=True, revision=1
            )
            self.rule_rows.add(row)
        for field, value in changes.items():
            setattr(row, field, value.value if isinstance(value, Urgency) else value)
        row.touch()
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=ALERT_RULE_UPDATED,
            occurred_at=self.clock(),
            data=AlertRuleUpdated({"name": rule.name.value, "changed": sorted(changes)}),
        )
        return settings_from(row, rule.name)


class Judgement:
    """Applies rules' verdicts for many organizations in one unit of work (the evaluator's)."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    async def apply(self, verdicts: Sequence[tuple[str, Verdict]]) -> None:
        """Raise what is not open yet, resolve what is open; in the order given, so a fault
        followed by its recovery in one batch leaves a resolved alert."""
        settings = await self._settings({organization for organization, _ in verdicts})
        keyed = [(org, v, _key(org, v)) for org, v in verdicts]
        found = await repository.open_alerts(self.uow.session, {key for *_, key in keyed if key})
        booted = {v.subject.station_id for _, v in verdicts if isinstance(v, Renew)}
        for renewable in await repository.open_vendor_errors(self.uow.session, booted):
            found[renewable.open_key or ""] = renewable
        meanings = await translations(self.uow.session, _vendor_codes(verdicts))
        for organization, verdict, key in keyed:
            if isinstance(verdict, Measure):
                verdict = measured(verdict, settings[organization, verdict.rule])
            if isinstance(verdict, Renew):
                _await_reports(found, organization, verdict)
            elif isinstance(verdict, Clear):
                alert = found.pop(key, None)
                if alert is not None:
                    resolve(self.uow, alert, verdict.at, SYSTEM)
            elif key in found:
                _reported_again(found[key])
            else:
                rule = settings[organization, verdict.rule]
                if rule.enabled:
                    code = _vendor_code(verdict)
                    meaning = meanings.get((organization, verdict.subject.station_id, code or ""))
                    if meaning is None:
                        found[key] = self._raise(organization, rule, key, verdict)
                    else:
                        # A translated code: its meaning in the alert, its severity as the
                        # urgency (unless the organization set the rule's urgency itself).
                        detail = {**verdict.detail, "translation": meaning.as_detail()}
                        translated = replace(verdict, detail=detail)
                        urgency = rule.urgency or Urgency(meaning.severity.value)
                        found[key] = self._raise(organization, rule, key, translated, urgency)

    async def resolve_unreported(self, alerts: Iterable[Alert]) -> None:
        """Resolve the Problems their stations did not report again after booting
        (`unreported_due`), as of the boot: by then the fault was no longer there."""
        for alert in alerts:
            if alert.open_key is not None and alert.awaiting_report_since is not None:
                resolve(self.uow, alert, alert.awaiting_report_since, REBOOT)

    async def raise_offline(self, due: Iterable[tuple[Away, RuleSettings]]) -> None:
        """Raise the offline alerts found due (`offline_due`), unless one is open already (the
        station came back and went away again before the last one was resolved). The alert
        starts when the station went away."""
        rule_name = RuleName.STATION_OFFLINE
        keyed = {Subject(a.station_id).key(a.organization_id, rule_name): (a, s) for a, s in due}
        found = await repository.open_alerts(self.uow.session, keyed)
        for key, (away, rule) in keyed.items():
            if key not in found:
                detail = {"threshold_s": rule.effective_threshold_s}
                subject = Subject(away.station_id)
                verdict = Raise(rule_name, subject, away.disconnected_at, None, detail)
                self._raise(away.organization_id, rule, key, verdict)

    async def resolve_back(self, back: Sequence[tuple[str, datetime | None]]) -> None:
        """Resolve offline alerts whose station is connected again, as of its reconnection."""
        alerts = await repository.alerts_by_id(self.uow.session, [alert_id for alert_id, _ in back])
        when = dict(back)
        for alert in alerts:
            if alert.open_key is not None:
                resolve(self.uow, alert, when[alert.id] or self.clock(), SYSTEM)

    async def follow_conditions(self, steps: Plan, now: datetime) -> None:
        """Write a plan of the swept rules (`condition_plan`): resolve the alerts of conditions
        that ended, raise those due, store the watches."""
        for alert in await repository.alerts_by_id(self.uow.session, steps.resolve):
            if alert.open_key is not None:
                resolve(self.uow, alert, now, SYSTEM)
        keep = dict(steps.keep)
        open_now = await repository.open_alerts(self.uow.session, [d.watch.key for d in steps.due])
        for due in steps.due:
            condition, key = due.condition, due.watch.key
            # An alert still open under the key (raised before the watch was stored) is adopted.
            alert = open_now.get(key) or self._raise(
                condition.organization_id,
                due.rule,
                key,
                Raise(
                    condition.rule,
                    condition.subject,
                    due.watch.since,
                    condition.transaction_id,
                    {**condition.detail, "threshold_s": due.rule.effective_threshold_s},
                ),
            )
            keep[key] = (condition, alerted(due.watch, alert.id))
        # Rows that exist: restarted watches, and unchanged ones that were just alerted.
        known = steps.stored | (keep.keys() - steps.keep.keys())
        await repository.store_watches(
            self.uow.session,
            [kept for key, kept in keep.items() if key not in known],
            [kept for key, kept in keep.items() if key in known],
            steps.forget,
        )

    async def _settings(self, organizations: set[str]) -> dict[tuple[str, RuleName], RuleSettings]:
        return await settings_by_organization(self.uow.session, organizations)

    def _raise(
        self,
        organization_id: str,
        rule: RuleSettings,
        key: str,
        verdict: Raise,
        urgency: Urgency | None = None,
    ) -> Alert:
        subject = verdict.subject
        alert = Alert(
            id=new_id(),
            organization_id=organization_id,
            name=rule.rule.name.value,
            category=rule.rule.category.value,
            urgency=(urgency or rule.effective_urgency).value,
            status=AlertStatus.TRIGGERED.value,
            station_id=subject.station_id,
            evse_id=subject.evse_id,
            connector_id=subject.connector_id,
            transaction_id=verdict.transaction_id,
            started_at=verdict.at,
            detail=dict(verdict.detail),
            open_key=key,
            notes=[],
            revision=1,
        )
        AlertRepository(self.uow.session, organization_id).add(alert)
        _event(self.uow, ALERT_TRIGGERED, alert, self.clock())
        return alert


async def settings_by_organization(
    session: AsyncSession, organizations: set[str]
) -> dict[tuple[str, RuleName], RuleSettings]:
    rows = await repository.settings_of(session, organizations)
    by_key = {(row.organization_id, row.name): row for row in rows}
    return {
        (org, name): settings_from(by_key.get((org, name.value)), name)
        for org in organizations
        for name in RULES
    }


async def unreported_due(
    session: AsyncSession, now: datetime, *, locked: bool = False
) -> list[Alert]:
    """Open Problem alerts whose station booted (accepted) at least its organization's
    vendor-error threshold ago and has not reported the Problem again since (`locked`: to
    resolve them)."""
    rule = RULES[RuleName.VENDOR_ERROR]
    smallest = await repository.smallest_threshold(session, rule.name, rule.threshold_s or 0)
    candidates = await repository.awaiting_report(
        session, now - timedelta(seconds=smallest), locked=locked
    )
    settings = await settings_by_organization(session, {a.organization_id for a in candidates})
    return [
        alert
        for alert in candidates
        if alert.awaiting_report_since is not None
        and report_overdue(
            alert.awaiting_report_since,
            settings[alert.organization_id, rule.name].effective_threshold_s or 0,
            now,
        )
    ]


async def offline_due(session: AsyncSession, now: datetime) -> list[tuple[Away, RuleSettings]]:
    """Disconnected stations whose organization's offline threshold has passed and that have no
    offline alert for this absence yet, with the rule as their organization runs it; a station
    in a maintenance window waits for its end (planned downtime is not an incident)."""
    away = await repository.away_unalerted(session)
    settings = await settings_by_organization(session, {a.organization_id for a in away})
    quiet = await in_maintenance(session, now) if away else set()
    due = []
    for station in away:
        if (station.organization_id, station.station_id) in quiet:
            continue  # planned downtime: alerted once the window ends, if still away
        rule = settings[station.organization_id, RuleName.STATION_OFFLINE]
        threshold = rule.effective_threshold_s or 0
        if rule.enabled and away_long_enough(station.disconnected_at, threshold, now):
            due.append((station, rule))
    return due


async def condition_plan(session: AsyncSession, now: datetime) -> Plan:
    """What the swept rules' sweep has to write now (`conditions.py`); empty, most of the time."""
    found = await swept_conditions(session, now)
    settings = await settings_by_organization(session, {c.organization_id for c in found})
    return plan(found, await repository.watches(session), settings, now)


async def swept_conditions(session: AsyncSession, now: datetime) -> list[Condition]:
    """What the swept rules find in stored state now: stations whose boot is not accepted,
    sessions charging without meter progress (or far below their limit), stations offline (or
    never connected) outside a maintenance window, zombie sessions (one condition per
    subject)."""
    found = [
        Condition(organization, RuleName.BOOT_PENDING, Subject(station_id))
        for organization, station_id in await repository.unaccepted_stations(session)
    ]
    charging_now = await repository.charging_sessions(session)
    for charging in charging_now:
        tx = charging.transaction_id
        subject = Subject(charging.station_id, charging.evse_id, charging.connector_id, str(tx))
        meter = charging.last_meter_wh
        detail = {"last_meter_wh": meter, "last_meter_at": _iso(charging.last_meter_at)}
        value = None if meter is None else str(meter)
        found.append(
            Condition(
                charging.organization_id, RuleName.METER_STALLED, subject, None, value, tx, detail
            )
        )
    offline = await repository.presences(session, offline_only=True)
    quiet = await in_maintenance(session, now) if offline else set()
    for presence in offline:
        if (presence.organization_id, presence.station_id) in quiet:
            continue
        never = presence.disconnected_at is None
        rule = RuleName.STATION_NEVER_CONNECTED if never else RuleName.STATION_LONG_TERM_UNAVAILABLE
        since = presence.created_at if never else presence.disconnected_at
        found.append(Condition(presence.organization_id, rule, Subject(presence.station_id), since))
    found += await below_limit_conditions(session, charging_now)
    return found + await zombie_conditions(session, now)


async def below_limit_conditions(
    session: AsyncSession, charging: Sequence[repository.Charging]
) -> list[Condition]:
    """Charging sessions whose last measured power is below their organization's fraction of
    the limit smart charging holds in force for them. The limit is the watch's value: a new
    limit gives the car a new chance to meet it (the watch starts again)."""
    measured = [c for c in charging if c.last_power_w is not None]
    limits = await repository.limits_in_force(session, measured)
    rule_name = RuleName.POWER_BELOW_LIMIT
    settings = await settings_by_organization(session, {c.organization_id for c in measured})
    found = []
    for c in measured:
        limit_kw = limits.get(c.transaction_id)
        fraction = settings[c.organization_id, rule_name].effective_fraction or 0.0
        if limit_kw is None or c.last_power_w is None:
            continue
        if not below_limit(c.last_power_w, limit_kw * 1000, fraction):
            continue
        tx = c.transaction_id
        subject = Subject(c.station_id, c.evse_id, c.connector_id, str(tx))
        detail = {
            "power_kw": round(c.last_power_w / 1000, 3),
            "limit_kw": round(limit_kw, 3),
            "fraction": fraction,
        }
        found.append(
            Condition(c.organization_id, rule_name, subject, None, f"{limit_kw:.3f}", tx, detail)
        )
    return found


async def zombie_conditions(session: AsyncSession, now: datetime) -> list[Condition]:
    """Zombie sessions of every organization, by the silence threshold each one runs."""
    rule = RULES[RuleName.SESSION_ZOMBIE]
    smallest = await repository.smallest_threshold(session, rule.name, rule.threshold_s or 0)
    suspects = await suspect_sessions(session, now - timedelta(seconds=smallest))
    settings = await settings_by_organization(session, {s.organization_id for s in suspects})
    found = []
    for suspect in suspects:
        threshold = settings[suspect.organization_id, rule.name].effective_threshold_s or 0
        seen = zombie(suspect, threshold, now)
        if seen is None:
            continue
        tx = suspect.transaction_id
        subject = Subject(suspect.station_id, suspect.evse_id, suspect.connector_id, str(tx))
        detail = {
            "reason": seen.reason.value,
            "last_meter_wh": suspect.last_meter_wh,
            "last_meter_at": _iso(suspect.last_meter_at),
        }
        found.append(
            Condition(
                suspect.organization_id,
                rule.name,
                subject,
                seen.since,
                seen.reason.value,
                tx,
                detail,
            )
        )
    return found


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _key(organization_id: str, verdict: Verdict) -> str:
    """The open-alert key a verdict concerns; a renewal concerns a station's Problems, which
    `_await_reports` finds among the loaded alerts, and so no key of its own."""
    if isinstance(verdict, Renew):
        return ""
    return verdict.subject.key(organization_id, verdict.rule)


def _await_reports(found: dict[str, Alert], organization_id: str, renew: Renew) -> None:
    """An accepted boot: each open Problem of the station waits to be reported again."""
    station_id = renew.subject.station_id
    for key, alert in found.items():
        if renewed_by_boot(key, organization_id, station_id):
            alert.awaiting_report_since = renew.at
            alert.touch()


def _reported_again(alert: Alert) -> None:
    """A fault reported while its alert is open: after a boot, it is still there."""
    if alert.awaiting_report_since is not None:
        alert.awaiting_report_since = None
        alert.touch()


def _vendor_code(verdict: Verdict) -> str | None:
    if isinstance(verdict, Raise) and verdict.rule is RuleName.VENDOR_ERROR:
        code = verdict.detail.get("vendor_error_code")
        return str(code) if code else None
    return None


def _vendor_codes(verdicts: Sequence[tuple[str, Verdict]]) -> set[tuple[str, str, str]]:
    """(organization, station, vendor error code) of the vendor-error alerts a batch may raise."""
    found = set()
    for organization, verdict in verdicts:
        code = _vendor_code(verdict)
        if code is not None:
            found.add((organization, verdict.subject.station_id, code))
    return found


def measured(measure: Measure, rule: RuleSettings) -> Raise | Clear:
    """A measurement judged against the organization's threshold for its rule."""
    threshold = rule.effective_threshold_s or 0
    if measure.beyond(threshold):
        detail = {**measure.detail, "threshold_s": threshold}
        return Raise(measure.rule, measure.subject, measure.at, detail=detail)
    return Clear(measure.rule, measure.subject, measure.at)


def resolve(uow: UnitOfWork, alert: Alert, at: datetime, by: str) -> None:
    alert.status = AlertStatus.RESOLVED.value
    alert.ended_at = at
    alert.resolved_by = by
    alert.open_key = None
    alert.awaiting_report_since = None
    alert.touch()
    _event(uow, ALERT_RESOLVED, alert, at)


def _event(uow: UnitOfWork, kind: EventKind[AlertChanged], alert: Alert, at: datetime) -> None:
    record_event(
        uow,
        organization_id=alert.organization_id,
        kind=kind,
        occurred_at=at,
        station_id=alert.station_id,
        transaction_id=alert.transaction_id,
        data=AlertChanged(
            alert_id=alert.id,
            name=alert.name,
            category=alert.category,
            urgency=alert.urgency,
            status=alert.status,
            station_id=alert.station_id,
            evse_id=alert.evse_id,
            connector_id=alert.connector_id,
            started_at=alert.started_at.isoformat(),
            ended_at=None if alert.ended_at is None else alert.ended_at.isoformat(),
            resolved_by=alert.resolved_by,
            detail=alert.detail,
        ),
    )
