from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.smart_charging.electrical import ElectricalSpec, Line, LineConstraint, Supply
from chargeyard.smart_charging.online import (
    OnlinePolicy,
    OnlineState,
    control_step,
    plan,
    slot_lengths,
)


def test_slot_lengths_are_fine_first_then_coarse() -> None:
    assert slot_lengths(20, 12, 3).tolist() == [1] * 12 + [3, 3, 2]
    assert slot_lengths(5, 12, 3).tolist() == [1] * 5


def test_urgent_vehicle_gets_the_capacity_and_the_step_fills_the_limit() -> None:
    state = OnlineState(
        period_hours=0.25,
        remaining_kwh=np.array([1.5, 10.0]),
        periods_left=np.array([1, 40]),
        max_power_kw=np.array([7.0, 7.0]),
        constraints=(LineConstraint("site", np.ones(2, dtype=complex), 8.0),),
    )
    power = control_step(state)
    assert power[0] == pytest.approx(6.0)  # 1.5 kWh in one quarter hour
    assert power.sum() == pytest.approx(8.0)  # charge early: the rest goes to the other


def test_phasor_limit_of_line_to_line_loads_is_kept() -> None:
    ab = ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0, lines=(Line.L1, Line.L2))
    ca = ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0, lines=(Line.L3, Line.L1))
    coefficients = np.array(
        [ab.line_phasors()[Line.L1] * ab.amps_per_kw, ca.line_phasors()[Line.L1] * ca.amps_per_kw]
    )
    state = OnlineState(
        period_hours=1 / 12,
        remaining_kwh=np.array([50.0, 50.0]),
        periods_left=np.array([100, 100]),
        max_power_kw=np.array([22.0, 22.0]),
        constraints=(LineConstraint("L1", coefficients, 32.0),),
    )
    power = control_step(state)
    assert abs(coefficients @ power) <= 32.0 + 1e-6
    assert abs(coefficients @ power) >= 32.0 * 0.99  # the polygon loses little


def _two_plugged_in_and_one_expected(expected: bool) -> OnlineState:
    """A and B share the site now (6 kW); B and the expected C share a line (6 kW)."""
    n = 3 if expected else 2
    site = np.array([1, 1, 0][:n], dtype=complex)
    line = np.array([0, 1, 1][:n], dtype=complex)
    return OnlineState(
        period_hours=1.0,
        remaining_kwh=np.array([6.0, 6.0, 6.0][:n]),
        periods_left=np.array([2, 2, 2][:n]),
        max_power_kw=np.array([6.0, 6.0, 6.0][:n]),
        constraints=(LineConstraint("site", site, 6.0), LineConstraint("line", line, 6.0)),
        arrives_in=np.array([0, 0, 1][:n]),
    )


def test_an_expected_arrival_makes_the_vehicle_it_will_compete_with_charge_now() -> None:
    power = control_step(_two_plugged_in_and_one_expected(expected=True))
    assert power.tolist() == pytest.approx([0.0, 6.0, 0.0])  # C is not here yet
    schedule = plan(_two_plugged_in_and_one_expected(expected=True))
    assert schedule.unmet_kwh.sum() == pytest.approx(0.0, abs=1e-6)


def test_alike_expected_arrivals_merge_into_one_lp_session() -> None:
    base = _two_plugged_in_and_one_expected(expected=True)
    doubled = OnlineState(
        period_hours=1.0,
        remaining_kwh=np.array([6.0, 6.0, 3.0, 3.0]),
        periods_left=np.array([2, 2, 2, 2]),
        max_power_kw=np.array([6.0, 6.0, 3.0, 3.0]),
        constraints=tuple(
            LineConstraint(c.name, np.append(c.coefficients, c.coefficients[2]), c.limit)
            for c in base.constraints
        ),
        arrives_in=np.array([0, 0, 1, 1]),
    )
    schedule = plan(doubled)
    assert schedule.power_kw.shape[0] == 3  # A, B, then C's two halves as one
    assert schedule.power_kw[2, 1] == pytest.approx(6.0)
    assert control_step(doubled).tolist() == pytest.approx([0.0, 6.0, 0.0, 0.0])


def _shared_limit(remaining: list[float], limit_kw: float, hours: int = 1) -> OnlineState:
    n = len(remaining)
    return OnlineState(
        period_hours=1.0,
        remaining_kwh=np.array(remaining),
        periods_left=np.full(n, hours),
        max_power_kw=np.full(n, 22.0),
        constraints=(LineConstraint("site", np.ones(n, dtype=complex), limit_kw),),
    )


def test_tilted_plan_leaves_the_sessions_needing_least_fully_charged() -> None:
    state = _shared_limit([2.0, 8.0, 4.0], limit_kw=10.0)
    schedule = plan(state, OnlinePolicy(early_cost=0.0, completion_tilt=0.2))
    assert schedule.unmet_kwh.tolist() == pytest.approx([0.0, 4.0, 0.0], abs=1e-6)


@st.composite
def tight_states(draw: st.DrawFn) -> OnlineState:
    """Plugged-in sessions on two lines of a site, often more demand than the limits give."""
    n = draw(st.integers(1, 8))
    on_a = np.array([draw(st.booleans()) for _ in range(n)])
    return OnlineState(
        period_hours=0.25,
        remaining_kwh=np.array([draw(st.floats(0.0, 40.0)) for _ in range(n)]),
        periods_left=np.array([draw(st.integers(1, 30)) for _ in range(n)]),
        max_power_kw=np.array([draw(st.sampled_from([3.7, 7.4, 11.0, 22.0])) for _ in range(n)]),
        constraints=(
            LineConstraint("site", np.ones(n, dtype=complex), draw(st.floats(1.0, 40.0))),
            LineConstraint("line a", on_a.astype(complex), draw(st.floats(1.0, 20.0))),
        ),
    )


@settings(max_examples=40, deadline=None)
@given(tight_states(), st.floats(0.0, 1.0))
def test_tilt_gives_up_at_most_its_share_of_the_least_shortfall(
    state: OnlineState, tilt: float
) -> None:
    least = plan(state, OnlinePolicy(early_cost=0.0, completion_tilt=0.0)).unmet_kwh.sum()
    tilted = plan(state, OnlinePolicy(early_cost=0.0, completion_tilt=tilt))
    assert tilted.ok
    assert tilted.unmet_kwh.sum() <= (1.0 + tilt) * least + 1e-6


def test_the_driver_likely_to_leave_first_is_charged_first() -> None:
    """Room for one car at a time: both could stay two hours, but one driver leaves after the
    first hour in half their stays. That one gets the first hour; the other, who will still be
    there, the second."""
    hours = np.arange(8)
    state = OnlineState(
        period_hours=0.25,
        remaining_kwh=np.array([7.0, 7.0]),
        periods_left=np.array([8, 8]),
        max_power_kw=np.array([7.0, 7.0]),
        constraints=(LineConstraint("site", np.ones(2, dtype=complex), 7.0),),
        presence=np.vstack([np.where(hours < 4, 1.0, 0.5), np.ones(8)]),
    )
    policy = OnlinePolicy(early_cost=0.0, completion_tilt=0.0)
    schedule = plan(state, policy)
    assert schedule.power_kw[0, :4].tolist() == pytest.approx([7.0] * 4)
    assert control_step(state, policy).tolist() == pytest.approx([7.0, 0.0])


@settings(max_examples=40, deadline=None)
@given(tight_states(), st.data())
def test_planning_with_presence_delivers_at_least_as_much_expected_energy(
    state: OnlineState, data: st.DataObject
) -> None:
    """With unmet energy the only cost, the plan that knows each period's chance of the driver
    still being there expects at least as much delivered as the plan that does not (that one
    is a plan the first could have chosen). All chances 1: the same shortfall as without."""
    n, horizon = len(state.remaining_kwh), int(state.periods_left.max())
    chance = st.lists(st.floats(0.0, 1.0), min_size=horizon, max_size=horizon)
    chances = np.array([sorted(data.draw(chance), reverse=True) for _ in range(n)])
    policy = OnlinePolicy(early_cost=0.0, completion_tilt=0.0, fair_cost=0.0, fine_periods=100)
    aware = plan(replace(state, presence=chances), policy)
    blind = plan(state, policy)
    certain = plan(replace(state, presence=np.ones((n, horizon))), policy)
    assert aware.ok and blind.ok and certain.ok
    assert certain.unmet_kwh.sum() == pytest.approx(blind.unmet_kwh.sum(), abs=1e-6)

    def expected(power: np.ndarray) -> float:
        return float(np.sum(power * chances[:, : power.shape[1]]) * state.period_hours)

    assert expected(aware.power_kw) >= expected(blind.power_kw) - 1e-6
