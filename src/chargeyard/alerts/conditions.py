"""Swept rules: conditions found in stored state, alerted once they have lasted a threshold.

Some conditions are not an event but the absence of one: a boot that is never accepted, a meter
register that stops moving, a session nobody closes. The evaluator's sweep reads what holds now
(`Condition`s, one per subject), and keeps a `Watch` per condition in the database: when it
began (`since`, from stored state or the sweep that first saw it), the value that must not change
for it to go on (a meter register), and the alert raised for it. Pure planning here; the service
writes the plan.

- A condition seen for the first time, or whose value or start changed, (re)starts its watch;
  the alert raised for the previous one is resolved (the meter moved: that stall is over).
- A condition that has lasted its organization's threshold raises one alert, started at
  `since`; an operator who resolves it by hand is not alerted again for the same watch.
- A watch whose condition is gone is forgotten, and its alert resolved.

Because the watch is stored and the thresholds are measured on the server's clock, a lease
handover or a restart loses nothing, and a test can drive it with an injected clock.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from chargeyard.alerts.domain import RuleName, RuleSettings, Subject


@dataclass(frozen=True)
class Condition:
    """A state that holds now, as a swept rule found it."""

    organization_id: str
    rule: RuleName
    subject: Subject
    since: datetime | None = None
    """When stored state says it began; None: since the sweep first saw it."""
    value: str | None = None
    """What must stay the same for the condition to go on; a change starts it again."""
    transaction_id: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.subject.key(self.organization_id, self.rule)


@dataclass(frozen=True)
class Watch:
    key: str
    since: datetime
    value: str | None = None
    alert_id: str | None = None


@dataclass(frozen=True)
class Due:
    """A condition that has lasted its threshold and has no alert yet."""

    condition: Condition
    rule: RuleSettings
    watch: Watch


@dataclass
class Plan:
    keep: dict[str, tuple[Condition, Watch]] = field(default_factory=dict)
    """Watches to store (new, or changed), by key."""
    due: list[Due] = field(default_factory=list)
    forget: list[str] = field(default_factory=list)
    """Keys of watches whose condition is gone."""
    resolve: list[str] = field(default_factory=list)
    """Ids of alerts whose condition ended (they may have been resolved by hand already)."""

    def __bool__(self) -> bool:
        return bool(self.keep or self.due or self.forget or self.resolve)


def plan(
    conditions: Iterable[Condition],
    watches: Mapping[str, Watch],
    settings: Mapping[tuple[str, RuleName], RuleSettings],
    now: datetime,
) -> Plan:
    """What the sweep writes, given what holds now and the watches stored; the first condition
    of a key wins (the readers give one per subject)."""
    result = Plan()
    seen: set[str] = set()
    for condition in conditions:
        key = condition.key
        if key in seen:
            continue
        seen.add(key)
        watch = watches.get(key)
        if watch is None or _restarted(watch, condition):
            if watch is not None and watch.alert_id is not None:
                result.resolve.append(watch.alert_id)
            watch = Watch(key, condition.since or now, condition.value)
            result.keep[key] = (condition, watch)
        rule = settings[condition.organization_id, condition.rule]
        threshold = rule.effective_threshold_s or 0
        if (
            watch.alert_id is None
            and rule.enabled
            and (now - watch.since).total_seconds() >= threshold
        ):
            result.due.append(Due(condition, rule, watch))
    for key, watch in watches.items():
        if key not in seen:
            result.forget.append(key)
            if watch.alert_id is not None:
                result.resolve.append(watch.alert_id)
    return result


def _restarted(watch: Watch, condition: Condition) -> bool:
    moved = condition.since is not None and condition.since != watch.since
    return moved or condition.value != watch.value


def alerted(watch: Watch, alert_id: str) -> Watch:
    return replace(watch, alert_id=alert_id)
