"""Guarantees of the real-time allocation, for random trees and sessions."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.smart_charging.allocation import allocate
from chargeyard.smart_charging.electrical import Line, constraint_values
from chargeyard.smart_charging.snapshot import Circuit, CircuitId, SiteSnapshot, compile_constraints

from .factories import THREE_PHASE, evse, session, single_phase, site

WIRINGS = [
    THREE_PHASE,
    single_phase(Line.L1),
    single_phase(Line.L2),
    single_phase(Line.L1, Line.L2),
    single_phase(Line.L3, Line.L1),
]


@st.composite
def snapshots(draw: st.DrawFn) -> SiteSnapshot:
    circuits = [
        Circuit(
            CircuitId("site"), max_power_kw=draw(st.floats(0, 80)), buffer_kw=draw(st.floats(0, 5))
        )
    ]
    for k in range(draw(st.integers(0, 3))):
        parent = draw(st.sampled_from([c.id for c in circuits]))
        in_amps = draw(st.booleans())
        circuits.append(
            Circuit(
                CircuitId(f"c{k}"),
                parent_id=parent,
                max_current_a=draw(st.floats(0, 63)) if in_amps else None,
                max_power_kw=None if in_amps else draw(st.floats(0, 40)),
                buffer_a=draw(st.floats(0, 2)),
            )
        )
    count = draw(st.integers(1, 10))
    evses = tuple(
        evse(
            i,
            draw(st.sampled_from([c.id for c in circuits])),
            draw(st.sampled_from(WIRINGS)),
            max_kw=draw(st.floats(1.0, 22.0)),
            min_kw=draw(st.sampled_from([0.0, 1.4, 4.1])),
            step_kw=draw(st.sampled_from([0.0, 0.23, 0.69])),
        )
        for i in range(count)
    )
    sessions = tuple(session(i, priority=draw(st.integers(0, 5))) for i in range(count))
    return site(tuple(circuits), evses, sessions)


@settings(max_examples=60, deadline=None)
@given(snapshots())
def test_every_node_stays_within_limit_minus_buffer(snapshot: SiteSnapshot) -> None:
    power = np.array(list(allocate(snapshot).power_kw.values()))
    loads, limits = constraint_values(compile_constraints(snapshot), power)
    assert np.all(loads <= limits + 1e-6)


@settings(max_examples=60, deadline=None)
@given(snapshots())
def test_each_session_gets_zero_or_between_min_and_max(snapshot: SiteSnapshot) -> None:
    result = allocate(snapshot)
    for s in snapshot.sessions:
        e = snapshot.evse(s.evse_id)
        p = result.power_kw[s.id]
        assert p == 0.0 or e.min_power_kw - 1e-9 <= p <= e.max_power_kw + 1e-9
        assert (s.id in result.paused) == (p == 0.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=2, max_size=8), st.floats(1, 60))
def test_higher_priority_never_gets_less_among_equal_evses(
    priorities: list[int], limit: float
) -> None:
    snapshot = site(
        (Circuit(CircuitId("site"), max_power_kw=limit),),
        tuple(evse(i, min_kw=1.4, step_kw=0.23) for i in range(len(priorities))),
        tuple(session(i, priority=p) for i, p in enumerate(priorities)),
    )
    power = allocate(snapshot).power_kw
    for i, pi in enumerate(priorities):
        for j, pj in enumerate(priorities):
            if pi < pj:
                assert power[f"s{i}"] >= power[f"s{j}"] - 1e-9


@settings(max_examples=50, deadline=None)
@given(snapshots())
def test_results_are_deterministic(snapshot: SiteSnapshot) -> None:
    assert allocate(snapshot) == allocate(snapshot)
