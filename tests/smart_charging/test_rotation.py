"""Turns when a circuit cannot give every session its minimum: nobody waits indefinitely, the
limit holds at every step, and a turn lasts its slice."""

import math
from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.smart_charging.allocation import allocate
from chargeyard.smart_charging.electrical import constraint_values
from chargeyard.smart_charging.rotation import PRIORITY_WEIGHT, Rotation, Turn
from chargeyard.smart_charging.snapshot import (
    Circuit,
    CircuitId,
    SessionId,
    SiteSnapshot,
    compile_constraints,
)

from .factories import NOW, evse, session, site
from .test_allocation_properties import snapshots

SLICE_S = 300.0


def run(
    snapshot: SiteSnapshot, steps: int, step_s: float, slice_s: float = SLICE_S
) -> list[dict[SessionId, float]]:
    """`steps` control steps `step_s` apart, each fed the turns the last one left."""
    rotation = Rotation({}, slice_s)
    shares = []
    for k in range(steps):
        now = NOW + timedelta(seconds=k * step_s)
        result = allocate(replace(snapshot, now=now), rotation=rotation)
        shares.append(result.power_kw)
        rotation = Rotation(result.turns, slice_s)
    return shares


def longest_wait_s(shares: list[dict[SessionId, float]], step_s: float) -> float:
    """The longest time any session went without power (from the first step)."""
    worst = 0.0
    for sid in shares[0]:
        last = -1
        for k, step in enumerate(shares):
            if step[sid] > 0:
                worst = max(worst, (k - last - 1) * step_s)
                last = k
        worst = max(worst, (len(shares) - last - 1) * step_s)
    return worst


def crowded(minimums: list[float], limit: float, priorities: list[int]) -> SiteSnapshot:
    return site(
        (Circuit(CircuitId("site"), max_power_kw=limit),),
        tuple(evse(i, min_kw=m) for i, m in enumerate(minimums)),
        tuple(session(i, priority=p) for i, p in enumerate(priorities)),
    )


def test_three_sessions_where_two_fit_take_turns_of_a_slice() -> None:
    shares = run(crowded([4.1, 4.1, 4.1], 9.0, [3, 3, 3]), steps=12, step_s=60)
    on = [tuple(sid for sid, kw in step.items() if kw > 0) for step in shares]
    # s2 and s1 came first; s0 (the latest) waits one slice, then takes the turn of the one
    # whose turn ends first, and so on.
    assert on[0] == ("s1", "s2")
    assert all(len(step) == 2 for step in on)
    assert "s0" in on[5] and "s0" not in on[4]
    assert longest_wait_s(shares, 60) <= 3 * SLICE_S


def test_a_turn_is_kept_for_its_slice() -> None:
    shares = run(crowded([4.1, 4.1, 4.1], 6.0, [3, 3, 3]), steps=15, step_s=60)
    on = [next(sid for sid, kw in step.items() if kw > 0) for step in shares]
    changes = [k for k in range(1, len(on)) if on[k] != on[k - 1]]
    assert changes == [5, 10]


def test_a_circuit_sets_its_own_slice() -> None:
    snapshot = crowded([4.1, 4.1], 6.0, [3, 3])
    snapshot = replace(snapshot, circuits=(replace(snapshot.circuits[0], rotation_slice_s=120.0),))
    shares = run(snapshot, steps=7, step_s=60)
    on = [next(sid for sid, kw in step.items() if kw > 0) for step in shares]
    assert on == ["s1", "s1", "s0", "s0", "s1", "s1", "s0"]


def test_what_a_waiting_session_cannot_use_is_given_without_a_turn() -> None:
    # s0 needs 6 kW; with 7 kW only 1.4 kW sessions fit beside a turn. They are admitted into
    # what is left but start no turn, so s0 gets in once the turn ahead of it ends.
    shares = run(crowded([6.0, 1.4, 1.4, 1.4, 1.4], 7.0, [3, 3, 3, 3, 3]), steps=30, step_s=60)
    assert all(sum(step.values()) <= 7.0 + 1e-6 for step in shares)
    assert any(step["s0"] > 0 for step in shares[:11])
    assert longest_wait_s(shares, 60) <= 5 * SLICE_S


def test_an_ev_that_draws_nothing_gives_its_place_to_one_waiting() -> None:
    snapshot = crowded([4.1, 4.1], 6.0, [3, 3])
    asleep = replace(snapshot.sessions[1], offered_power_kw=4.1, measured_power_kw=0.0)
    snapshot = replace(snapshot, sessions=(snapshot.sessions[0], asleep))
    turns = {
        SessionId("s1"): Turn(turn_ends=NOW + timedelta(seconds=200)),
        SessionId("s0"): Turn(waiting_since=NOW - timedelta(seconds=60)),
    }
    result = allocate(snapshot, rotation=Rotation(turns))
    assert result.power_kw[SessionId("s0")] == pytest.approx(6.0)
    assert result.power_kw[SessionId("s1")] == 0.0
    assert result.turns[SessionId("s1")] == Turn(waiting_since=NOW)


def test_priority_gets_more_turns_but_not_all() -> None:
    shares = run(crowded([4.1, 4.1, 4.1], 6.0, [5, 1, 1]), steps=120, step_s=60)
    served = {sid: sum(1 for step in shares if step[sid] > 0) for sid in shares[0]}
    assert served[SessionId("s0")] > 0
    assert served[SessionId("s1")] > 3 * served[SessionId("s0")]


def test_without_rotation_the_order_is_first_come_first_served() -> None:
    result = allocate(crowded([4.1, 4.1, 4.1], 9.0, [3, 3, 3]))
    assert result.paused == (SessionId("s0"),)
    assert result.turns == {}


@st.composite
def crowds(draw: st.DrawFn) -> tuple[SiteSnapshot, float]:
    count = draw(st.integers(2, 6))
    minimums = [draw(st.sampled_from([1.4, 4.1, 6.0])) for _ in range(count)]
    limit = draw(st.floats(max(minimums), sum(minimums) - 0.01))
    if draw(st.booleans()):
        priorities = [draw(st.integers(1, 5))] * count
    else:
        priorities = [draw(st.integers(1, 5)) for _ in range(count)]
    step_s = draw(st.sampled_from([60.0, 150.0, SLICE_S]))
    return crowded(minimums, limit, priorities), step_s


@settings(max_examples=25, deadline=None)
@given(crowds())
def test_every_session_is_served_within_n_slices(case: tuple[SiteSnapshot, float]) -> None:
    """N = the number of sessions with equal priorities; with mixed priorities the bound
    stretches by the ratio of the highest weight to the lowest (at most 16)."""
    snapshot, step_s = case
    weights = [PRIORITY_WEIGHT[s.priority] for s in snapshot.sessions]
    n = len(snapshot.sessions) * max(weights) / min(weights)
    steps = math.ceil((n + 2) * SLICE_S / step_s)
    shares = run(snapshot, steps, step_s)
    assert longest_wait_s(shares, step_s) <= n * SLICE_S + step_s
    limit = snapshot.circuits[0].max_power_kw or 0.0
    assert all(sum(step.values()) <= limit + 1e-6 for step in shares)


@settings(max_examples=40, deadline=None)
@given(snapshots(), st.sampled_from([30.0, 60.0, 300.0]))
def test_never_above_any_limit_at_any_step(snapshot: SiteSnapshot, step_s: float) -> None:
    for step in run(snapshot, steps=12, step_s=step_s):
        power = np.array([step[s.id] for s in snapshot.sessions])
        loads, limits = constraint_values(compile_constraints(snapshot), power)
        assert np.all(loads <= limits + 1e-6)


def test_an_opt_out_session_that_does_not_fit_does_not_stop_the_turns() -> None:
    # Two priority-0 sessions of 6 kW on 9 kW: the second cannot fit. The three others take
    # turns of a slice in what is left (two of 1.4 kW fit in 3 kW).
    snapshot = crowded([6.0, 6.0, 1.4, 1.4, 1.4], 9.0, [0, 0, 3, 3, 3])
    capped = tuple(
        replace(e, max_power_kw=6.0) if i < 2 else e for i, e in enumerate(snapshot.evses)
    )
    snapshot = replace(snapshot, evses=capped)
    result = allocate(snapshot, rotation=Rotation({}, SLICE_S))
    started = [t for sid, t in result.turns.items() if sid in ("s2", "s3", "s4") and t.turn_ends]
    assert len(started) == 2
    assert all(t.turn_ends == NOW + timedelta(seconds=SLICE_S) for t in started)
