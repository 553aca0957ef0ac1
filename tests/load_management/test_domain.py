"""Pure rules of load management: the order in which changes of limits go out."""

from datetime import UTC, datetime, timedelta

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.load_management.domain import AC_22KW, InForceLimit, Target, ordered_changes

PLANNED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NOW = PLANNED + timedelta(minutes=16)


def target(station: str, *limits: float, start: datetime | None = None) -> Target:
    return Target(
        "root",
        station,
        1,
        Purpose.TX,
        limits,
        AC_22KW,
        start=start,
        slot_s=900 if start is not None else None,
    )


def test_single_values_go_down_first_and_up_after() -> None:
    down, up, new = target("A", 5.0), target("B", 9.0), target("C", 3.0)
    in_force = {down.key: InForceLimit((7.0,)), up.key: InForceLimit((7.0,))}
    assert ordered_changes([up, down, new], in_force, NOW) == ([down, new], [up])


def test_a_schedule_is_compared_with_what_the_old_one_gives_from_now_on() -> None:
    """The old schedules began at 08:00 (A at 11, B at 0) and have moved on to their second
    slot (A at 0, B at 11): A's 5.5 is a raise, B's a decrease, whatever their first values."""
    start = PLANNED + timedelta(minutes=15)
    a, b = target("A", 5.5, 5.5, start=start), target("B", 5.5, 5.5, start=start)
    in_force = {
        a.key: InForceLimit((11.0, 0.0, 0.0), PLANNED, 900),
        b.key: InForceLimit((0.0, 11.0, 11.0), PLANNED, 900),
    }
    assert ordered_changes([a, b], in_force, NOW) == ([b], [a])


def test_a_change_both_lower_and_higher_goes_out_at_the_lower_of_both_first() -> None:
    start = PLANNED + timedelta(minutes=15)
    shifted = target("A", 11.0, 0.0, 11.0, start=start)
    in_force = {shifted.key: InForceLimit((11.0, 0.0, 11.0, 0.0), PLANNED, 900)}
    first, rest = ordered_changes([shifted], in_force, NOW)
    assert [t.limits_kw for t in first] == [(0.0, 0.0, 0.0)]
    assert rest == [shifted]


def test_an_unanswered_higher_limit_counts_as_what_the_place_may_have() -> None:
    """A raise to 9 kW went out and its answer never came: 8 kW comes down from it."""
    lowered = target("A", 8.0)
    assert ordered_changes([lowered], {lowered.key: InForceLimit((7.0,), at_least_kw=9.0)}, NOW)[
        0
    ] == [lowered]


def test_a_discharge_is_compared_as_no_import() -> None:
    """A place discharging (negative) imports nothing, whatever its vehicle does: a change from
    one discharge to another lowers nothing and raises nothing (it goes with the decreases),
    and a change from a discharge to charging is a raise from 0, sent after them."""
    deeper, charging = target("A", -5.0), target("B", 3.0)
    in_force = {deeper.key: InForceLimit((-11.0,)), charging.key: InForceLimit((-11.0,))}
    assert ordered_changes([charging, deeper], in_force, NOW) == ([deeper], [charging])
    # Down to a discharge from charging: a decrease.
    discharging = target("C", -11.0)
    assert ordered_changes([discharging], {discharging.key: InForceLimit((4.0,))}, NOW) == (
        [discharging],
        [],
    )
