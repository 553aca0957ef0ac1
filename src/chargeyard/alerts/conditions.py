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

The sweep runs every second, so it writes only what changed (`repository.store_watches`): a
watch whose condition is unchanged is not written at all; restarted watches (value or start
changed) are updated in place by one executemany UPDATE, new ones inserted by one executemany
INSERT, forgotten ones deleted by one DELETE. A busy network (every charging session's meter
moving) therefore costs one UPDATE statement per sweep, not a DELETE and an INSERT through the
ORM per session.

Why a meter-stalled watch still has a row per charging session while its meter moves: its
`since` is the sweep that first saw the register at its value, on the server's clock. The only
stored time of the last meter movement, `transactions.last_meter_at`, is the station's clock
(a station far off the server's time would be judged by its own clock), and a row kept only
once the meter has stopped would need the previous sweep's reading, which only the watch holds
across a lease handover (memory of the node that held the lease is lost with it). Deriving the
start from a server-clock stamp of the last movement would need the hot path to write one with
every MeterValues; until it does, the row stays, and only its cost shrinks.
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
    stored: set[str] = field(default_factory=set)
    """Keys of the watches in `keep` that have a row already (restarted: updated in place)."""
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
            if watch is not None:
                result.stored.add(key)
                if watch.alert_id is not None:
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
