"""Swept rules' planning as a pure function of what holds, the stored watches and the clock."""

from datetime import UTC, datetime, timedelta

from chargeyard.alerts.conditions import Condition, Watch, alerted, plan
from chargeyard.alerts.domain import RULES, RuleName, RuleSettings, Subject

AT = datetime(2026, 1, 1, 12, tzinfo=UTC)
ORG = "org1"
STALLED = RuleName.METER_STALLED
SETTINGS = {(ORG, name): RuleSettings(rule, threshold_s=60) for name, rule in RULES.items()}


def stall(value: str, since: datetime | None = None) -> Condition:
    return Condition(ORG, STALLED, Subject("CP1", 1, 1, "7"), since, value, 7)


def test_a_new_condition_is_watched_from_now_and_due_after_the_threshold() -> None:
    first = plan([stall("100")], {}, SETTINGS, AT)
    ((_condition, watch),) = first.keep.values()
    assert (watch.since, watch.value, watch.alert_id) == (AT, "100", None)
    assert first.due == [] and first.stored == set()  # a new row: inserted

    stored = {watch.key: watch}
    assert not plan([stall("100")], stored, SETTINGS, AT + timedelta(seconds=59))
    later = plan([stall("100")], stored, SETTINGS, AT + timedelta(seconds=60))
    assert [due.watch for due in later.due] == [watch]
    assert later.keep == {} and later.resolve == []


def test_an_alerted_condition_is_not_raised_again_and_a_change_resolves_it() -> None:
    watch = alerted(Watch(stall("100").key, AT, "100"), "alert-1")
    stored = {watch.key: watch}
    assert not plan([stall("100")], stored, SETTINGS, AT + timedelta(hours=1))

    moved = plan([stall("250")], stored, SETTINGS, AT + timedelta(hours=1))
    assert moved.resolve == ["alert-1"]
    assert moved.stored == {watch.key}  # its row exists: updated in place
    ((_, restarted),) = moved.keep.values()
    assert (restarted.since, restarted.value, restarted.alert_id) == (
        AT + timedelta(hours=1),
        "250",
        None,
    )


def test_a_condition_gone_forgets_its_watch_and_resolves_its_alert() -> None:
    watch = alerted(Watch(stall("100").key, AT, "100"), "alert-1")
    gone = plan([], {watch.key: watch}, SETTINGS, AT + timedelta(hours=1))
    assert (gone.forget, gone.resolve) == ([watch.key], ["alert-1"])


def test_a_stored_start_counts_from_itself_and_a_new_start_is_a_new_condition() -> None:
    zombie = RuleName.SESSION_ZOMBIE
    began = AT - timedelta(hours=1)
    condition = Condition(ORG, zombie, Subject("CP1", 1, 1, "7"), began, "StationOffline", 7)
    now_due = plan([condition], {}, SETTINGS, AT)
    assert [due.watch.since for due in now_due.due] == [began]

    watch = alerted(now_due.due[0].watch, "alert-1")
    again = Condition(ORG, zombie, condition.subject, AT, "StationOffline", 7)
    restarted = plan([again], {watch.key: watch}, SETTINGS, AT + timedelta(seconds=1))
    assert restarted.resolve == ["alert-1"] and restarted.due == []


def test_a_disabled_rule_watches_but_raises_nothing() -> None:
    settings = {**SETTINGS, (ORG, STALLED): RuleSettings(RULES[STALLED], enabled=False)}
    watch = Watch(stall("100").key, AT, "100")
    assert plan([stall("100")], {watch.key: watch}, settings, AT + timedelta(days=1)).due == []
