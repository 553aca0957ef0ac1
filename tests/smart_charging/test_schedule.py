from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.smart_charging import schedule
from chargeyard.smart_charging.schedule import FleetProblem, FleetSchedule, TimedConstraint, solve


def problem(
    limit: float | list[float] = 22.0,
    slots: int = 8,
    energy: tuple[float, ...] = (10.0, 10.0),
    start: tuple[int, ...] = (0, 0),
    end: tuple[int, ...] = (8, 8),
    **fields: object,
) -> FleetProblem:
    n = len(energy)
    limits = np.broadcast_to(np.asarray(limit, dtype=float), (slots,)).copy()
    return FleetProblem(
        slot_hours=np.full(slots, 1.0),
        start_slot=np.array(start),
        end_slot=np.array(end),
        max_power_kw=np.full(n, 11.0),
        energy_kwh=np.array(energy),
        constraints=(TimedConstraint("site", np.ones(n, dtype=complex), limits),),
        **fields,  # type: ignore[arg-type]
    )


def test_every_vehicle_leaves_with_its_energy_when_possible() -> None:
    result = solve(problem(limit=5.0, energy=(12.0, 20.0), end=(4, 8)))
    assert result.ok
    assert result.unmet_kwh == pytest.approx([0.0, 0.0], abs=1e-6)
    assert result.power_kw[0, 4:] == pytest.approx(0.0)  # nothing after it left
    assert np.all(result.power_kw.sum(axis=0) <= 5.0 + 1e-6)


def test_charging_moves_to_cheap_slots_and_peak_cost_flattens() -> None:
    price = np.array([0.4, 0.4, 0.4, 0.4, 0.1, 0.1, 0.1, 0.1])
    cheap = solve(problem(energy=(8.0, 8.0), price=price))
    assert cheap.power_kw[:, :4].sum() == pytest.approx(0.0, abs=1e-6)
    flat = solve(problem(energy=(8.0, 8.0), peak_cost=10.0))
    assert flat.peak_kw == pytest.approx(2.0)


def test_infeasible_need_leaves_unmet_energy_to_the_lower_weight_first() -> None:
    result = solve(
        problem(limit=4.0, slots=2, energy=(6.0, 6.0), end=(2, 2), weight=np.array([1.0, 5.0]))
    )
    assert result.unmet_kwh == pytest.approx([4.0, 0.0], abs=1e-6)


def test_curtailment_window_as_time_varying_limit() -> None:
    limits = [22.0] * 8
    limits[2:5] = [3.0, 3.0, 3.0]
    result = solve(problem(limit=limits, energy=(60.0, 60.0)))  # more than fits
    assert result.power_kw[:, 2:5].sum(axis=0) == pytest.approx([3.0, 3.0, 3.0], abs=1e-6)


def test_v2g_discharges_in_expensive_window_and_still_leaves_charged() -> None:
    price = np.array([0.1, 0.1, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1])
    v2g = np.zeros(8, dtype=bool)
    v2g[4:6] = True
    result = solve(
        problem(
            energy=(10.0,),
            start=(0,),
            end=(8,),
            price=price,
            discharge_kw=np.array([5.0]),
            v2g_slots=v2g,
        )
    )
    assert result.power_kw[0, 4:6] == pytest.approx([-5.0, -5.0])
    assert result.power_kw[0].sum() == pytest.approx(10.0)
    assert result.unmet_kwh[0] == pytest.approx(0.0, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 11), st.integers(1, 12), st.floats(0, 60)), min_size=1, max_size=12
    ),
    st.floats(0, 40),
)
def test_schedule_respects_limits_windows_and_max_power(
    sessions: list[tuple[int, int, float]], limit: float
) -> None:
    start = tuple(min(a, 11) for a, _, _ in sessions)
    end = tuple(min(12, a + d) for a, d, _ in sessions)
    p = problem(
        limit=limit, slots=12, energy=tuple(e for _, _, e in sessions), start=start, end=end
    )
    first = solve(p)
    assert first.ok
    assert np.all(first.power_kw.sum(axis=0) <= limit + 1e-6)
    assert np.all(first.power_kw <= 11.0 + 1e-6)
    assert np.all(first.power_kw >= 0.0)  # clipped to its bounds, not within a tolerance
    for i, (a, b) in enumerate(zip(start, end, strict=True)):
        outside = np.r_[first.power_kw[i, :a], first.power_kw[i, b:]]
        assert np.all(outside == 0.0)
    delivered = first.power_kw.sum(axis=1)
    assert delivered + first.unmet_kwh == pytest.approx(p.energy_kwh, abs=1e-5)
    assert np.array_equal(first.power_kw, solve(p).power_kw)


PHASORS = np.exp(1j * np.deg2rad([30.0, -90.0, 150.0]))  # loads wired L1-L2, L2-L3, L3-L1


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.floats(0, 40), st.integers(1, 8)), min_size=1, max_size=10
    ),
    st.floats(5, 80),
)
def test_schedule_keeps_every_line_current_within_its_limit(
    sessions: list[tuple[int, float, int]], limit_a: float
) -> None:
    """Line currents are phasor sums of line-to-line loads; the LP keeps each within limit."""
    wiring = np.array([w for w, _, _ in sessions])
    per_kw = 1000.0 / 230.0
    lines = [
        np.where(wiring == 0, PHASORS[0], 0) - np.where(wiring == 2, PHASORS[2], 0),
        np.where(wiring == 1, PHASORS[1], 0) - np.where(wiring == 0, PHASORS[0], 0),
        np.where(wiring == 2, PHASORS[2], 0) - np.where(wiring == 1, PHASORS[1], 0),
    ]
    constraints = tuple(
        TimedConstraint(f"L{k}", (line * per_kw).astype(complex), np.full(8, limit_a))
        for k, line in enumerate(lines)
    )
    p = FleetProblem(
        slot_hours=np.full(8, 0.25),
        start_slot=np.zeros(len(sessions), dtype=np.int64),
        end_slot=np.array([d for _, _, d in sessions]),
        max_power_kw=np.full(len(sessions), 7.4),
        energy_kwh=np.array([e for _, e, _ in sessions]),
        constraints=constraints,
        early_cost=1.0,
    )
    result = solve(p)
    assert result.ok
    for c in constraints:
        assert np.all(np.abs(c.coefficients @ result.power_kw) <= limit_a + 1e-6)


def _objective(p: FleetProblem, result: FleetSchedule) -> float:
    waited = np.cumsum(p.slot_hours) - p.slot_hours / 2
    early = p.early_cost * waited * p.slot_hours
    return float((result.power_kw * early).sum() + p.unmet_cost * result.unmet_kwh.sum())


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.floats(0, 40), st.integers(0, 5), st.integers(1, 12)),
        min_size=1,
        max_size=12,
    ),
    st.floats(5, 80),
)
def test_faces_added_where_crossed_reach_the_optimum_of_every_face(
    sessions: list[tuple[int, float, int, int]], limit_a: float
) -> None:
    """The cutting-plane loop ends at the optimum of the LP that has every polygon face."""
    wiring = np.array([w for w, _, _, _ in sessions])
    per_kw = 1000.0 / 230.0
    lines = [
        np.where(wiring == 0, PHASORS[0], 0) - np.where(wiring == 2, PHASORS[2], 0),
        np.where(wiring == 1, PHASORS[1], 0) - np.where(wiring == 0, PHASORS[0], 0),
        np.where(wiring == 2, PHASORS[2], 0) - np.where(wiring == 1, PHASORS[1], 0),
    ]
    p = FleetProblem(
        slot_hours=np.full(12, 0.25),
        start_slot=np.array([a for _, _, a, _ in sessions]),
        end_slot=np.array([min(12, a + d) for _, _, a, d in sessions]),
        max_power_kw=np.full(len(sessions), 7.4),
        energy_kwh=np.array([e for _, e, _, _ in sessions]),
        constraints=tuple(
            TimedConstraint(f"L{k}", (line * per_kw).astype(complex), np.full(12, limit_a))
            for k, line in enumerate(lines)
        ),
        early_cost=1.0,
        polygon_faces=48,
    )
    cut = solve(p)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schedule, "MAX_FACE_ROUNDS", 0)  # every face at once, after one solve
        whole = solve(p)
    assert cut.ok and whole.ok
    assert _objective(p, cut) == pytest.approx(_objective(p, whole), rel=1e-7, abs=1e-6)
    for c in p.constraints:
        assert np.all(np.abs(c.coefficients @ cut.power_kw) <= limit_a + 1e-6)


def test_held_sessions_keep_their_power_and_the_others_share_what_is_left() -> None:
    held = np.full((2, 8), np.nan)
    held[0] = [8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 12.0, 1.0]  # 12 kW: more than the limit alone
    result = solve(problem(limit=10.0, energy=(1.0, 60.0), fixed_kw=held))
    assert result.ok
    assert np.array_equal(result.power_kw[0], held[0])  # its need (1 kWh) does not cut it
    assert result.power_kw[1] == pytest.approx([2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 0.0, 9.0], abs=1e-6)


def test_without_held_sessions_the_plan_is_the_same() -> None:
    free = problem(limit=9.0, energy=(20.0, 30.0), peak_cost=1.0)
    unheld = problem(
        limit=9.0, energy=(20.0, 30.0), peak_cost=1.0, fixed_kw=np.full((2, 8), np.nan)
    )
    assert np.array_equal(solve(free).power_kw, solve(unheld).power_kw)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 40), st.none() | st.lists(st.floats(0, 15), min_size=8, max_size=8)),
        min_size=1,
        max_size=8,
    ),
    st.floats(0, 40),
)
def test_held_power_is_honoured_and_the_free_fit_in_what_is_left(
    sessions: list[tuple[float, list[float] | None]], limit: float
) -> None:
    fixed = np.array([np.full(8, np.nan) if h is None else h for _, h in sessions])
    n = len(sessions)
    result = solve(
        problem(
            limit=limit,
            energy=tuple(e for e, _ in sessions),
            start=(0,) * n,
            end=(8,) * n,
            fixed_kw=fixed,
        )
    )
    assert result.ok
    held = ~np.isnan(fixed)
    assert np.array_equal(result.power_kw[held], fixed[held])
    free = np.where(held, 0.0, result.power_kw).sum(axis=0)
    room = np.maximum(limit - np.where(held, fixed, 0.0).sum(axis=0), 0.0)
    assert np.all(free <= room + 1e-6)
    assert np.all(result.power_kw[~held] >= -1e-9)


def shares(**fields: object) -> FleetProblem:
    """Sessions wanting more than the limit gives over the horizon: the costs of unmet energy
    and of waiting leave the LP indifferent as to who gets the limit's power."""
    energy = fields.pop("energy", (200.0, 200.0, 200.0))
    return problem(limit=21.0, slots=4, energy=energy, start=(0,) * 3, end=(4,) * 3, **fields)


def test_a_limit_nothing_decides_is_shared_evenly_in_every_slot() -> None:
    fair = solve(shares(fair_cost=schedule.FAIR_COST, early_cost=20.0, peak_cost=0.01))
    assert fair.ok
    assert fair.power_kw == pytest.approx(np.full((3, 4), 7.0), abs=1e-6)


def test_a_session_capped_below_its_share_leaves_the_rest_to_the_others() -> None:
    p = replace(shares(fair_cost=schedule.FAIR_COST), max_power_kw=np.array([3.7, 11.0, 11.0]))
    fair = solve(p)
    assert fair.power_kw[:, 0] == pytest.approx([3.7, 8.65, 8.65], abs=1e-6)


def test_a_binding_sub_circuit_shares_its_own_limit_and_the_site_the_rest() -> None:
    site = TimedConstraint("site", np.ones(4, dtype=complex), np.full(2, 20.0))
    feeder = TimedConstraint("feeder", np.array([1, 1, 0, 0], dtype=complex), np.full(2, 6.0))
    p = FleetProblem(
        slot_hours=np.ones(2),
        start_slot=np.zeros(4, dtype=np.int64),
        end_slot=np.full(4, 2, dtype=np.int64),
        max_power_kw=np.full(4, 11.0),
        energy_kwh=np.full(4, 100.0),
        constraints=(site, feeder),
        fair_cost=schedule.FAIR_COST,
    )
    assert solve(p).power_kw[:, 0] == pytest.approx([3.0, 3.0, 7.0, 7.0], abs=1e-6)


def test_fair_shares_give_way_to_needs_and_weights() -> None:
    """Different needs or priorities still decide: fairness only breaks ties."""
    weighted = solve(shares(fair_cost=schedule.FAIR_COST, weight=np.array([4.0, 1.0, 1.0])))
    assert weighted.power_kw[:, 0] == pytest.approx([11.0, 5.0, 5.0], abs=1e-6)
    small = solve(shares(fair_cost=schedule.FAIR_COST, energy=(4.0, 200.0, 200.0)))
    assert small.unmet_kwh[0] == pytest.approx(0.0, abs=1e-6)
    assert small.power_kw.sum() == pytest.approx(84.0, abs=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 7), st.integers(1, 8), st.floats(0, 60), st.integers(1, 5)),
        min_size=1,
        max_size=10,
    ),
    st.floats(1, 40),
    st.floats(0, 20),
)
def test_fair_shares_cost_nothing_the_other_objectives_count(
    sessions: list[tuple[int, int, float, int]], limit: float, early: float
) -> None:
    """With and without fair shares, the same weighted shortfall and (within a hair) the same
    cost of waiting: the levels are a tie-break below every other cost."""
    start = tuple(a for a, _, _, _ in sessions)
    end = tuple(min(8, a + d) for a, d, _, _ in sessions)
    base = problem(
        limit=limit,
        energy=tuple(e for _, _, e, _ in sessions),
        start=start,
        end=end,
        weight=np.array([float(w) for *_, w in sessions]),
        early_cost=early,
        peak_cost=0.01,
    )
    plain, fair = solve(base), solve(replace(base, fair_cost=schedule.FAIR_COST))
    assert plain.ok and fair.ok
    assert np.all(fair.power_kw.sum(axis=0) <= limit + 1e-6)
    shortfall = float(base.weight @ plain.unmet_kwh)
    assert float(base.weight @ fair.unmet_kwh) == pytest.approx(shortfall, abs=1e-4)
    waited = np.cumsum(base.slot_hours) - base.slot_hours / 2
    assert float((fair.power_kw @ waited).sum()) * early == pytest.approx(
        float((plain.power_kw @ waited).sum()) * early, abs=0.01
    )
